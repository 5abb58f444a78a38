import { type JSX, memo } from 'react';
import type { CanvasGraph, CanvasNode, JourneyNodeData } from '../../graph/graph.types.js';
import { describeNode } from '../../graph/describe-node.js';
import { PALETTE } from '../../graph/node-defaults.js';
import { ConditionForm, ExitForm, SplitForm } from './FlowForms.js';
import { OutcomeTargets } from './OutcomeTargets.js';
import type { DataOf } from './form.types.js';
import { SendForm } from './SendForm.js';
import { EventTriggerForm, ScheduleTriggerForm } from './TriggerForms.js';
import { WaitDurationForm, WaitEventForm, WaitUntilForm } from './WaitForms.js';

interface InspectorProps {
  node: CanvasNode | null;
  /** Every node and edge, for the outcome choices; read only when a node is selected. */
  graph: CanvasGraph;
  onConnect: (source: string, handle: string, target: string | null) => void;
  eventType: string | undefined;
  problems: readonly string[];
  onChange: (nodeId: string, field: string, data: JourneyNodeData) => void;
}

/** The form for the selected node, by its type, built on the engine's node schemas. */
function InspectorView(props: InspectorProps): JSX.Element {
  const { node, eventType, problems, onChange } = props;
  if (node === null) {
    return (
      <section className="inspector" aria-label="Inspector">
        <h2>Inspector</h2>
        <p>Select one node to edit it.</p>
      </section>
    );
  }
  const label = PALETTE.find((entry) => entry.type === node.type)?.label ?? node.type;
  const set = (field: string, data: unknown) => onChange(node.id, field, data as JourneyNodeData);
  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      <h2>{label}</h2>
      <p className="inspector__words">{describeNode({ type: node.type, data: node.data })}</p>
      {problems.length > 0 ? (
        <ul className="inspector__problems" aria-label="Problems with this node">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={(event) => event.preventDefault()}>{formFor(node, eventType, set)}</form>
      <OutcomeTargets
        node={node}
        nodes={props.graph.nodes}
        edges={props.graph.edges}
        onConnect={props.onConnect}
      />
    </section>
  );
}

function formFor(
  node: CanvasNode,
  eventType: string | undefined,
  set: (field: string, data: unknown) => void,
) {
  const props = { eventType, onChange: set };
  const data = node.data as unknown;
  switch (node.type) {
    case 'trigger.event':
      return <EventTriggerForm {...props} data={data as DataOf<'trigger.event'>} />;
    case 'trigger.schedule':
      return <ScheduleTriggerForm {...props} data={data as DataOf<'trigger.schedule'>} />;
    case 'trigger.manual':
      return <p>Started by a person for one patient; nothing to set.</p>;
    case 'condition':
      return <ConditionForm {...props} data={data as DataOf<'condition'>} />;
    case 'split':
      return <SplitForm {...props} data={data as DataOf<'split'>} />;
    case 'wait.duration':
      return <WaitDurationForm {...props} data={data as DataOf<'wait.duration'>} />;
    case 'wait.until':
      return <WaitUntilForm {...props} data={data as DataOf<'wait.until'>} />;
    case 'wait.event':
      return <WaitEventForm {...props} data={data as DataOf<'wait.event'>} />;
    case 'send.email':
      return <SendForm {...props} data={data as DataOf<'send.email'>} />;
    case 'exit':
      return <ExitForm {...props} data={data as DataOf<'exit'>} />;
  }
}

/** Memoised: it re-renders only when its own props change, not on every drag frame. */
export const Inspector = memo(InspectorView);
