import { useEffect, useState, type JSX } from 'react';
import { api, type JourneySummary } from '../../api/client.js';
import { useCan } from '../../auth/session-context.js';

/** Every journey with its status and published version; open one, start one, or import one. */
export function JourneyList(props: {
  onOpen: (id: string) => void;
  onNew: () => void;
  onImported: (id: string) => void;
}): JSX.Element {
  const mayEdit = useCan('edit');
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.listJourneys().then(setJourneys, (caught: unknown) => setError(String(caught)));
  }, []);

  const onImport = async (file: File | undefined) => {
    if (file === undefined) {
      return;
    }
    try {
      const imported = await api.importJourney(JSON.parse(await file.text()));
      props.onImported(imported.id);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <main className="journey-list">
      <h1>Journeys</h1>
      {mayEdit ? (
        <div className="toolbar">
          <button type="button" onClick={props.onNew} data-testid="new-journey">
            New journey
          </button>
          <label className="button">
            Import JSON
            <input
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              onChange={(event) => void onImport(event.target.files?.[0])}
            />
          </label>
        </div>
      ) : null}
      {error !== null ? <p className="warning">{error}</p> : null}
      {journeys === null ? <p>Loading…</p> : null}
      {journeys !== null && journeys.length === 0 ? <p>No journeys yet.</p> : null}
      {journeys !== null && journeys.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Published version</th>
              <th scope="col">Draft changed</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {journeys.map((journey) => (
              <tr key={journey.id}>
                <td>
                  <button type="button" className="link" onClick={() => props.onOpen(journey.id)}>
                    {journey.name}
                  </button>
                </td>
                <td>{journey.status}</td>
                <td>{journey.publishedVersion?.version ?? '—'}</td>
                <td>{journey.hasUnpublishedChanges ? 'yes' : 'no'}</td>
                <td>{journey.updatedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
