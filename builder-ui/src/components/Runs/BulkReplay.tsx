import { useEffect, useState, type JSX } from 'react';
import { ApiError } from '../../api/client.js';
import { runsApi, type ReplayJob, type RunFilter } from '../../api/runs.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** How often a running job is asked for its progress. */
export const POLL_MS = 1_000;

type Step =
  | { kind: 'idle' }
  | { kind: 'preview'; total: number; isTruncated: boolean }
  | { kind: 'job'; jobId: string; job: ReplayJob | null };

/**
 * Bulk replay of the failed runs the current filter matches: a dry run first, then a
 * confirmation, then the job's progress polled until it is done, with its per-run report.
 * The list's status filter is dropped: bulk replay only ever takes failed runs.
 */
export function BulkReplay(props: { filter: RunFilter }): JSX.Element {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const { status: _status, ...filter } = props.filter;
  const fail = (e: unknown) =>
    setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));

  const jobId = step.kind === 'job' ? step.jobId : null;
  const done = step.kind === 'job' && step.job?.state === 'completed';
  useEffect(() => {
    if (jobId === null || done) {
      return;
    }
    let live = true;
    const poll = () =>
      runsApi.job(jobId).then((job) => {
        if (live) {
          setStep({ kind: 'job', jobId, job });
        }
      }, fail);
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [jobId, done]);

  return (
    <section aria-label="Bulk replay" className="bulk-replay">
      <h2>Bulk replay</h2>
      {error !== null ? (
        <p role="alert" className="warning">
          {error}
        </p>
      ) : null}
      {step.kind === 'idle' ? (
        <button
          type="button"
          onClick={() => {
            setError(null);
            runsApi
              .bulkDryRun(filter)
              .then((r) => setStep({ kind: 'preview', total: r.total, isTruncated: r.isTruncated }))
              .catch(fail);
          }}
        >
          Dry run: failed runs for this filter
        </button>
      ) : null}
      {step.kind === 'preview' ? (
        step.total === 0 ? (
          <p role="status">No failed run matches this filter.</p>
        ) : (
          <ConfirmDialog
            question={`Replay ${step.total}${step.isTruncated ? '+' : ''} failed run(s)?`}
            confirmLabel="Confirm bulk replay"
            onConfirm={() => {
              runsApi
                .bulkStart(filter)
                .then((r) => setStep({ kind: 'job', jobId: r.jobId, job: null }))
                .catch(fail);
            }}
            onCancel={() => setStep({ kind: 'idle' })}
          />
        )
      ) : null}
      {step.kind === 'job' ? <JobProgress job={step.job} /> : null}
    </section>
  );
}

function JobProgress(props: { job: ReplayJob | null }): JSX.Element {
  if (props.job === null) {
    return <p role="status">Starting…</p>;
  }
  const { total, pending, replayed, skipped, failed } = props.job.progress;
  const finished = total - pending;
  return (
    <div>
      <label>
        Replay progress
        <progress max={Math.max(total, 1)} value={finished} />
      </label>
      <p role="status">
        {props.job.state === 'completed' ? 'Done: ' : 'Running: '}
        {replayed} replayed, {skipped} skipped, {failed} failed of {total}.
      </p>
      {props.job.state === 'completed' ? (
        <table aria-label="Replay report">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Result</th>
              <th scope="col">Code</th>
            </tr>
          </thead>
          <tbody>
            {props.job.report.map((row) => (
              <tr key={row.seq}>
                <td>{row.workflowId}</td>
                <td>{row.state}</td>
                <td>{row.code ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
