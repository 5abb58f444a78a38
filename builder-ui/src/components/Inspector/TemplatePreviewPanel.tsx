import { useMemo, type JSX } from 'react';
import type { Template } from '../../../../engine/journey/nodes.schema.js';
import { previewTemplate } from './template-preview.js';

const PREVIEW_ZONE = 'America/New_York';

/** The template rendered for the catalogue's sample patient, and any PHI in its headers. */
export function TemplatePreviewPanel(props: {
  template: Template;
  eventType: string | undefined;
}): JSX.Element {
  const preview = useMemo(
    () => previewTemplate(props.template, props.eventType, PREVIEW_ZONE),
    [props.template, props.eventType],
  );
  return (
    <section className="preview" aria-label="Template preview">
      <h3>Preview (sample patient, {PREVIEW_ZONE})</h3>
      {preview.headerPhi.map((hit) => (
        <p key={`${hit.part}-${hit.path}`} className="warning" role="alert">
          PHI in the {hit.part}: "{hit.path}" would travel in an unprotected header. Move it to the
          body.
        </p>
      ))}
      {preview.error !== null ? <p className="warning">{preview.error}</p> : null}
      {preview.message !== null ? (
        <dl>
          <dt>Subject</dt>
          <dd data-testid="preview-subject">{preview.message.subject}</dd>
          {preview.message.preheader !== undefined ? (
            <>
              <dt>Preheader</dt>
              <dd>{preview.message.preheader}</dd>
            </>
          ) : null}
          <dt>Text</dt>
          <dd>
            <pre>{preview.message.text}</pre>
          </dd>
        </dl>
      ) : null}
    </section>
  );
}
