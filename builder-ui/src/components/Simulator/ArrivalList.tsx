import type { JSX } from 'react';
import type { SimulatedArrival } from '../../../../engine/simulator/simulate.js';
import { SelectField, TextField } from '../Inspector/fields.js';

/** One arrival as the form edits it. */
export interface ArrivalDraft {
  at: string;
  kind: 'event' | 'cancel';
  /** The event type, or the cancellation's reason. */
  value: string;
}

/** The arrivals the engine's simulator takes, from the drafts. */
export function toArrivals(drafts: readonly ArrivalDraft[]): SimulatedArrival[] {
  return drafts.map((draft) =>
    draft.kind === 'cancel'
      ? { at: draft.at, cancel: { reason: draft.value || 'operator' } }
      : { at: draft.at, event: { type: draft.value } },
  );
}

/**
 * What reaches the simulated run while it waits, at virtual instants: an event about the same
 * subject (its data is the sample's), or an operator's cancellation.
 */
export function ArrivalList(props: {
  value: readonly ArrivalDraft[];
  defaultAt: string;
  onChange: (value: ArrivalDraft[]) => void;
}): JSX.Element {
  const { value, onChange } = props;
  const set = (index: number, draft: ArrivalDraft) =>
    onChange(value.map((old, i) => (i === index ? draft : old)));
  return (
    <fieldset>
      <legend>While the run waits</legend>
      {value.map((draft, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: arrivals have no ids; order is identity
        <div className="field-row" key={index}>
          <TextField
            label={`Arrival ${index + 1} at (UTC)`}
            value={draft.at}
            onChange={(at) => set(index, { ...draft, at })}
          />
          <SelectField
            label="What"
            value={draft.kind}
            options={[
              { value: 'event', label: 'an event' },
              { value: 'cancel', label: 'a cancellation' },
            ]}
            onChange={(kind) => set(index, { ...draft, kind })}
          />
          <TextField
            label={draft.kind === 'event' ? 'Event type' : 'Reason'}
            value={draft.value}
            onChange={(text) => set(index, { ...draft, value: text })}
          />
          <button type="button" onClick={() => onChange(value.filter((_, i) => i !== index))}>
            Remove arrival {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange([
            ...value,
            { at: props.defaultAt, kind: 'event', value: 'appointment.cancelled' },
          ])
        }
      >
        Add arrival
      </button>
    </fieldset>
  );
}
