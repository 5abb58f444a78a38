import { useEffect, useState, type JSX } from 'react';
import { api, type VersionSummary } from '../../api/client.js';

/** Who published each version of a journey, and when. */
export function VersionList(props: {
  journeyId: string;
  refresh: number;
  onRestore: (version: number) => void;
}): JSX.Element {
  const { journeyId, refresh } = props;
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [publishedId, setPublishedId] = useState<string | null>(null);
  useEffect(() => {
    api.versions(journeyId).then(
      (answer) => {
        setVersions(answer.versions);
        setPublishedId(answer.publishedVersionId);
      },
      () => setVersions([]),
    );
  }, [journeyId, refresh]);
  return (
    <section className="versions" aria-label="Versions">
      <h2>Versions</h2>
      {versions.length === 0 ? <p>Not published yet.</p> : null}
      <ol data-testid="version-list">
        {versions.map((version) => (
          <li key={version.id}>
            v{version.version} by {version.publishedBy} at {version.publishedAt}
            {version.id === publishedId ? ' (published)' : ''}{' '}
            <a href={`${api.exportUrl(journeyId)}?version=${version.version}`} download>
              Export v{version.version}
            </a>{' '}
            <button type="button" onClick={() => props.onRestore(version.version)}>
              Restore v{version.version} into the draft
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
