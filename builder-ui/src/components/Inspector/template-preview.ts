import type { Template } from '../../../../engine/journey/nodes.schema.js';
import { analyseTemplate } from '../../../../engine/templates/analyse-template.js';
import { findVariable, variablesFor } from '../../../../engine/templates/catalogue.js';
import { HEADER_PARTS } from '../../../../engine/templates/liquid.js';
import { type RenderedMessage, renderMessage } from '../../../../engine/templates/render.js';

/** A template rendered for a made-up patient, with the PHI that would land in its headers. */
export interface TemplatePreview {
  message: RenderedMessage | null;
  error: string | null;
  /** Each header part that would carry a PHI variable, and the variable. */
  headerPhi: Array<{ part: string; path: string }>;
}

/**
 * Renders a template with the catalogue's example values (a sample patient and event, not real
 * data) through the engine's own renderer, and finds PHI variables in subject, preheader or
 * sender name.
 *
 * @param zone - the zone dates and times are shown in
 */
export function previewTemplate(
  template: Template,
  eventType: string | undefined,
  zone: string,
): TemplatePreview {
  const analysis = analyseTemplate(template);
  const headerPhi = analysis.uses
    .filter((use) => HEADER_PARTS.includes(use.part))
    .filter((use) => {
      const spec = findVariable(use.path, eventType);
      return spec !== undefined && spec.sensitivity !== 'S0';
    })
    .map((use) => ({ part: use.part, path: use.path }));
  const values = Object.fromEntries(
    variablesFor(eventType).map((spec) => [spec.path, spec.example]),
  );
  try {
    const message = renderMessage(
      { ...template, variables: [...template.variables], sensitivity: 'S1' },
      values,
      zone,
    );
    return { message, error: null, headerPhi };
  } catch (error) {
    return {
      message: null,
      error: error instanceof Error ? error.message : String(error),
      headerPhi,
    };
  }
}
