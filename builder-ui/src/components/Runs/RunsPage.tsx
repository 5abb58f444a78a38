import { useEffect, useState, type JSX } from 'react';
import { ApiError } from '../../api/client.js';
import { runsApi, type RunFilter, type RunSummary } from '../../api/runs.js';
import { useCan } from '../../auth/session-context.js';
import { BulkReplay } from './BulkReplay.js';
import { RunFilters } from './RunFilters.js';

/**
 * The runs list: filters, a page of runs newest first, and paging by the server's token.
 * Earlier pages are kept as their tokens, so "Previous" asks the server again.
 */
export function RunsPage(props: { onOpen: (runId: string) => void }): JSX.Element {
  const [filter, setFilter] = useState<RunFilter>({});
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayOperate = useCan('operate');
  const token = tokens[tokens.length - 1];

  useEffect(() => {
    let live = true;
    setRuns(null);
    setError(null);
    runsApi.list(filter, token).then(
      (page) => {
        if (live) {
          setRuns(page.runs);
          setNext(page.nextPageToken);
        }
      },
      (e: unknown) => {
        if (live) {
          setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
        }
      },
    );
    return () => {
      live = false;
    };
  }, [filter, token]);

  return (
    <main className="runs-page">
      <h1>Runs</h1>
      <RunFilters
        onApply={(f) => {
          setFilter(f);
          setTokens([undefined]);
        }}
      />
      {error !== null ? (
        <p role="alert" className="warning">
          {error}
        </p>
      ) : null}
      {runs === null ? (
        error === null ? (
          <p>Loading…</p>
        ) : null
      ) : runs.length === 0 ? (
        <p>No run matches these filters.</p>
      ) : (
        <table aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Journey</th>
              <th scope="col">Failure</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.workflowId}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => props.onOpen(run.workflowId)}
                  >
                    {run.workflowId}
                  </button>
                </td>
                <td>{run.status}</td>
                <td>{run.journeyId ?? '—'}</td>
                <td>{run.failureType ?? '—'}</td>
                <td>{run.startedAt ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages" className="toolbar">
        <button
          type="button"
          disabled={tokens.length === 1}
          onClick={() => setTokens((t) => t.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={next === null}
          onClick={() => next !== null && setTokens((t) => [...t, next])}
        >
          Next page
        </button>
      </nav>
      {mayOperate ? <BulkReplay filter={filter} /> : null}
    </main>
  );
}
