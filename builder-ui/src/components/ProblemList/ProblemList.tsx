import { type JSX, memo } from 'react';
import type { JourneyIssue } from '../../../../engine/journey/graph-rules.js';

/** Every problem the validator found; choosing one focuses the node it is about. */
function ProblemListView({
  issues,
  onFocus,
}: {
  issues: readonly JourneyIssue[];
  onFocus: (nodeId: string) => void;
}): JSX.Element {
  if (issues.length === 0) {
    return (
      <section className="problems" aria-label="Problems">
        <h2>Problems</h2>
        <p className="problems__none" data-testid="problems-none">
          No problems: this journey can be published.
        </p>
      </section>
    );
  }
  return (
    <section className="problems" aria-label="Problems">
      <h2>
        Problems <span className="badge">{issues.length}</span>
      </h2>
      <ul data-testid="problem-list">
        {issues.map((issue, index) => (
          <li key={`${issue.code}-${issue.nodeId ?? issue.edgeId ?? ''}-${index}`}>
            {issue.nodeId === undefined ? (
              <span>{issue.message}</span>
            ) : (
              <button
                type="button"
                className="link"
                onClick={() => onFocus(issue.nodeId as string)}
              >
                {issue.message}
              </button>
            )}
            <code className="problems__code">{issue.code}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Memoised: it re-renders only when its own props change, not on every drag frame. */
export const ProblemList = memo(ProblemListView);
