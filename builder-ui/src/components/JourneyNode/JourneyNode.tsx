import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { handlesOf, isTrigger } from '../../../../engine/journey/graph-rules.js';
import type { JourneyNode as EngineNode } from '../../../../engine/journey/journey.schema.js';
import { describeNode } from '../../graph/describe-node.js';
import type { CanvasNode } from '../../graph/graph.types.js';
import { PALETTE } from '../../graph/node-defaults.js';
import { blockedReasons, countsLine, type NodeCounts } from '../../graph/run-counts.js';
import { useNodeOverlay } from './overlay-context.js';

const LABELS = new Map(PALETTE.map((entry) => [entry.type, entry.label]));

/**
 * One journey node on the canvas: its kind, what it does in words, a handle per outcome, its
 * problems and, for a published journey, its counts from real runs. Memoised, and reading
 * only its own props and overlay entry, so a change to one node does not re-render the others.
 */
function JourneyNodeView({ id, type, data, selected }: NodeProps<CanvasNode>) {
  const overlay = useNodeOverlay(id);
  const node = { id, type, data } as unknown as EngineNode;
  const outcomes = handlesOf(node);
  const hasProblems = overlay.problems.length > 0;
  const className = [
    'journey-node',
    `journey-node--${type.replace('.', '-')}`,
    selected ? 'is-selected' : '',
    hasProblems ? 'has-problems' : '',
    overlay.isOnPath ? 'is-on-path' : '',
  ].join(' ');

  return (
    <div className={className} data-testid={`node-${id}`}>
      {isTrigger(node) ? null : <Handle type="target" position={Position.Top} id="in" />}
      <div className="journey-node__kind">{LABELS.get(type) ?? type}</div>
      <div className="journey-node__words">{describeNode(node)}</div>
      {hasProblems ? (
        <ul className="journey-node__problems" aria-label="Problems">
          {overlay.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {overlay.counts !== null ? (
        <RunCounts nodeId={id} counts={overlay.counts} showsSends={type.startsWith('send.')} />
      ) : null}
      {outcomes.length > 0 ? (
        <div className="journey-node__outcomes">
          {outcomes.map((outcome, index) => (
            <span key={outcome} className="journey-node__outcome">
              {outcomes.length > 1 || outcome !== 'out' ? outcome : ''}
              <Handle
                type="source"
                position={Position.Bottom}
                id={outcome}
                style={{ left: `${((index + 1) * 100) / (outcomes.length + 1)}%` }}
                aria-label={`Outcome ${outcome}`}
              />
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

// The reasons are codes, so they fit a tooltip; the hidden words give them to a screen reader,
// which does not read a title reliably.
function RunCounts(props: { nodeId: string; counts: NodeCounts; showsSends: boolean }) {
  const reasons = blockedReasons(props.counts);
  return (
    <p
      className="journey-node__counts"
      data-testid={`counts-${props.nodeId}`}
      title={props.counts.blocked > 0 ? reasons : undefined}
    >
      <span className="visually-hidden">Real runs: </span>
      {countsLine(props.counts, props.showsSends)}
      {props.counts.blocked > 0 ? <span className="visually-hidden">. {reasons}</span> : null}
    </p>
  );
}

/** The memoised node component. */
export const JourneyNode = memo(JourneyNodeView);
