import { useCallback, useEffect, useState, type JSX } from 'react';
import { ApiError } from '../../api/client.js';
import { runsApi, type RunTimeline } from '../../api/runs.js';
import { useCan } from '../../auth/session-context.js';
import { ConfirmDialog } from './ConfirmDialog.js';

// `replay_newest` replays on the newest published version, its step found by node id.
type Pending = 'cancel' | 'replay' | 'replay_newest' | null;

function problemText(error: unknown): string {
  return error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
}

/** One run: its timeline, and Cancel / Replay for operators (each confirmed first). */
export function RunDetail(props: { runId: string; onBack: () => void }): JSX.Element {
  const [run, setRun] = useState<RunTimeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const mayOperate = useCan('operate');

  const load = useCallback(() => {
    runsApi.timeline(props.runId).then(setRun, (e: unknown) => setError(problemText(e)));
  }, [props.runId]);
  useEffect(load, [load]);

  const act = async (action: Exclude<Pending, null>) => {
    setPending(null);
    setError(null);
    try {
      if (action === 'cancel') {
        await runsApi.cancel(props.runId);
        setNotice('The run was told to cancel; it ends at its next step.');
      } else {
        const started = await runsApi.replay(
          props.runId,
          action === 'replay_newest' ? 'newest' : 'own',
        );
        setNotice(`Replay started as ${started.workflowId} (${started.mode}).`);
      }
      load();
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <main className="run-detail">
      <header>
        <button type="button" className="link" onClick={props.onBack}>
          ← Runs
        </button>
        <h1>Run {props.runId}</h1>
      </header>
      {error !== null ? (
        <p role="alert" className="warning">
          {error}
        </p>
      ) : null}
      {notice !== null ? <p role="status">{notice}</p> : null}
      {run === null ? (
        error === null ? (
          <p>Loading…</p>
        ) : null
      ) : (
        <>
          <dl>
            <dt>Status</dt>
            <dd>{run.status}</dd>
            <dt>Journey</dt>
            <dd>{run.journeyId ?? '—'}</dd>
            <dt>Started</dt>
            <dd>{run.startedAt ?? '—'}</dd>
            <dt>Replays</dt>
            <dd>{run.replays}</dd>
          </dl>
          {mayOperate ? (
            <div className="toolbar">
              <button
                type="button"
                disabled={run.status !== 'running'}
                onClick={() => setPending('cancel')}
              >
                Cancel run
              </button>
              <button
                type="button"
                disabled={run.status !== 'failed'}
                onClick={() => setPending('replay')}
              >
                Replay run
              </button>
              <button
                type="button"
                disabled={run.status !== 'failed'}
                onClick={() => setPending('replay_newest')}
              >
                Replay on newest version
              </button>
            </div>
          ) : null}
          {pending !== null ? (
            <ConfirmDialog
              question={
                pending === 'cancel'
                  ? 'Cancel this run? It sends nothing more.'
                  : pending === 'replay'
                    ? 'Replay this run from its failed step?'
                    : 'Replay this run on the newest published version, from the same step?'
              }
              confirmLabel={pending === 'cancel' ? 'Confirm cancel' : 'Confirm replay'}
              onConfirm={() => void act(pending)}
              onCancel={() => setPending(null)}
            />
          ) : null}
          {run.failure !== null ? (
            <section aria-label="Failure">
              <h2>Failure</h2>
              <p>
                {run.failure.type} at {run.failure.failedNode ?? 'an unknown step'}:{' '}
                {run.failure.message}
              </p>
            </section>
          ) : null}
          <Timeline run={run} />
        </>
      )}
    </main>
  );
}

function Timeline(props: { run: RunTimeline }): JSX.Element {
  const { steps, decisions, deliveries, scheduled } = props.run;
  return (
    <>
      <section aria-label="Steps">
        <h2>Steps</h2>
        <ol>
          {steps.map((step) => (
            <li key={step.seq}>
              {step.at} · {step.stepId} ({step.kind}) → {step.outcome}
              {step.reason !== undefined ? ` · ${step.reason}` : ''}
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="Decisions">
        <h2>Decisions</h2>
        <ul>
          {decisions.map((d, index) => (
            <li key={`${d.at}-${index}`}>
              {d.at} · {d.stepId ?? '—'} · {d.action}: {d.decision ?? '—'}
              {d.reason !== null ? ` (${d.reason})` : ''}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Deliveries">
        <h2>Deliveries</h2>
        <ul>
          {deliveries.map((d) => (
            <li key={d.messageId}>
              {d.stepId} · {d.state} after {d.attempts} attempt(s)
              {d.recipientDomain !== null ? ` to ${d.recipientDomain}` : ''}
              {d.smtpCode !== null ? ` · SMTP ${d.smtpCode}` : ''}
              {d.reason !== null ? ` · ${d.reason}` : ''}
            </li>
          ))}
        </ul>
      </section>
      {scheduled.length > 0 ? (
        <section aria-label="Scheduled">
          <h2>Scheduled</h2>
          <ul>
            {scheduled.map((s) => (
              <li key={s.stepId}>
                {s.stepId} at {s.at}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
