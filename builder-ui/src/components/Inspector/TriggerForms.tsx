import { useId, type JSX } from 'react';
import { KNOWN_CARE_EVENT_TYPES } from '../../../../engine/events/care-event.js';
import { TextField, toInt } from './fields.js';
import type { FormProps } from './form.types.js';
import { RuleBuilder } from './RuleBuilder.js';

/** An event type: the known ones offered, a custom dotted name allowed. */
export function EventTypeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}): JSX.Element {
  const listId = useId();
  return (
    <>
      <datalist id={listId}>
        {KNOWN_CARE_EVENT_TYPES.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
      <TextField label={props.label} value={props.value} list={listId} onChange={props.onChange} />
    </>
  );
}

/** `trigger.event`: the event type and an optional filter. */
export function EventTriggerForm({
  data,
  eventType,
  onChange,
}: FormProps<'trigger.event'>): JSX.Element {
  return (
    <>
      <EventTypeField
        label="Event type"
        value={data.eventType}
        onChange={(value) => onChange('eventType', { ...data, eventType: value })}
      />
      {data.filter === undefined ? (
        <button
          type="button"
          onClick={() => onChange('filter', { ...data, filter: { combinator: 'all', rules: [] } })}
        >
          Add a filter
        </button>
      ) : (
        <RuleBuilder
          label="Only when"
          value={data.filter}
          eventType={eventType}
          onChange={(filter) => onChange('filter', { ...data, filter })}
        />
      )}
    </>
  );
}

/** `trigger.schedule`: cron, zone, segment and pacing. */
export function ScheduleTriggerForm({
  data,
  eventType,
  onChange,
}: FormProps<'trigger.schedule'>): JSX.Element {
  return (
    <>
      <TextField
        label="Cron (5 or 6 fields)"
        value={data.cron}
        onChange={(cron) => onChange('cron', { ...data, cron })}
      />
      <TextField
        label="Time zone (IANA)"
        value={data.timeZone}
        onChange={(timeZone) => onChange('timeZone', { ...data, timeZone })}
      />
      <TextField
        label="Runs per batch"
        type="number"
        value={data.batchSize}
        onChange={(text) => onChange('batchSize', { ...data, batchSize: toInt(text, 100) })}
      />
      <TextField
        label="Seconds between batches"
        type="number"
        value={data.batchIntervalSeconds}
        onChange={(text) =>
          onChange('batchIntervalSeconds', { ...data, batchIntervalSeconds: toInt(text, 60) })
        }
      />
      <RuleBuilder
        label="Segment"
        value={data.segment}
        eventType={eventType}
        onChange={(segment) => onChange('segment', { ...data, segment })}
      />
    </>
  );
}
