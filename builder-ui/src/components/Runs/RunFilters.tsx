import { useState, type JSX } from 'react';
import type { RunFilter, RunStatus } from '../../api/runs.js';

const STATUSES: RunStatus[] = ['running', 'completed', 'failed', 'cancelled'];

// `datetime-local` has no offset; the browser's zone is the operator's, so it is added here.
function toIso(local: string): string | undefined {
  return local === '' ? undefined : new Date(local).toISOString();
}

/** The runs list's filters; applied on submit so typing does not query on every key. */
export function RunFilters(props: { onApply: (filter: RunFilter) => void }): JSX.Element {
  const [status, setStatus] = useState('');
  const [journeyId, setJourneyId] = useState('');
  const [failureType, setFailureType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <form
      className="run-filters"
      aria-label="Run filters"
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply({
          status: status === '' ? undefined : (status as RunStatus),
          journeyId: journeyId.trim() === '' ? undefined : journeyId.trim(),
          failureType: failureType.trim() === '' ? undefined : failureType.trim(),
          startedFrom: toIso(from),
          startedTo: toIso(to),
        });
      }}
    >
      <label>
        Status
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Journey id
        <input value={journeyId} onChange={(e) => setJourneyId(e.target.value)} />
      </label>
      <label>
        Failure type
        <input value={failureType} onChange={(e) => setFailureType(e.target.value)} />
      </label>
      <label>
        Started from
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        Started before
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit">Apply filters</button>
    </form>
  );
}
