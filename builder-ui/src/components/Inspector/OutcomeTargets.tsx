import { type JSX, useId } from 'react';
import { handlesOf, isTrigger } from '../../../../engine/journey/graph-rules.js';
import type { JourneyNode } from '../../../../engine/journey/journey.schema.js';
import { describeNode } from '../../graph/describe-node.js';
import type { CanvasEdge, CanvasNode } from '../../graph/graph.types.js';

/**
 * Where each outcome of the node leads, as a choice of node: the keyboard's way to draw and
 * change edges (dragging a handle needs a pointer).
 */
export function OutcomeTargets(props: {
  node: CanvasNode;
  nodes: readonly CanvasNode[];
  edges: readonly CanvasEdge[];
  onConnect: (source: string, handle: string, target: string | null) => void;
}): JSX.Element | null {
  const { node, nodes, edges, onConnect } = props;
  const baseId = useId();
  const outcomes = handlesOf(node as unknown as JourneyNode);
  if (outcomes.length === 0) {
    return null;
  }
  const targets = nodes.filter(
    (other) => other.id !== node.id && !isTrigger(other as unknown as JourneyNode),
  );
  return (
    <fieldset>
      <legend>Outcomes lead to</legend>
      {outcomes.map((outcome) => {
        const id = `${baseId}-${outcome}`;
        const current = edges.find(
          (edge) => edge.source === node.id && (edge.sourceHandle ?? 'out') === outcome,
        );
        return (
          <div className="field" key={outcome}>
            <label htmlFor={id}>{outcome}</label>
            <select
              id={id}
              value={current?.target ?? ''}
              onChange={(event) => onConnect(node.id, outcome, event.target.value || null)}
            >
              <option value="">(nowhere)</option>
              {targets.map((target) => (
                <option key={target.id} value={target.id}>
                  {`${target.id}: ${describeNode(target as unknown as JourneyNode).slice(0, 60)}`}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </fieldset>
  );
}
