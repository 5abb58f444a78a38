import type { JSX } from 'react';
import { variablesFor } from '../../../../engine/templates/catalogue.js';
import { DurationField } from './DurationField.js';
import { SelectField, TextField } from './fields.js';
import type { FormProps } from './form.types.js';
import { EventTypeField } from './TriggerForms.js';

const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];

/** `wait.duration`: a fixed time. */
export function WaitDurationForm({ data, onChange }: FormProps<'wait.duration'>): JSX.Element {
  return (
    <DurationField
      label="Wait for"
      value={data.duration}
      onChange={(duration) => onChange('duration', { duration })}
    />
  );
}

/** `wait.event`: an event type and a timeout. */
export function WaitEventForm({ data, onChange }: FormProps<'wait.event'>): JSX.Element {
  return (
    <>
      <EventTypeField
        label="Event type"
        value={data.eventType}
        onChange={(eventType) => onChange('eventType', { ...data, eventType })}
      />
      <DurationField
        label="Time out after"
        value={data.timeout}
        onChange={(timeout) => onChange('timeout', { ...data, timeout })}
      />
    </>
  );
}

/** `wait.until`: offset from an anchor, local time, quiet hours, weekdays, past policy. */
export function WaitUntilForm({ data, eventType, onChange }: FormProps<'wait.until'>): JSX.Element {
  const anchors = variablesFor(eventType)
    .filter((spec) => spec.type === 'datetime' || spec.type === 'date')
    .map((spec) => spec.path);
  const options = anchors.includes(data.anchor) ? anchors : [data.anchor, ...anchors];
  const weekdays = data.weekdays ?? [];
  const toggleDay = (day: number) => {
    const next = weekdays.includes(day)
      ? weekdays.filter((d) => d !== day)
      : [...weekdays, day].sort();
    const { weekdays: _old, ...rest } = data;
    onChange('weekdays', next.length === 0 ? rest : { ...rest, weekdays: next });
  };
  return (
    <>
      <SelectField
        label="Anchor"
        value={data.anchor}
        options={options}
        onChange={(anchor) => onChange('anchor', { ...data, anchor })}
      />
      <DurationField
        label="Offset"
        value={data.offset}
        onChange={(offset) =>
          onChange('offset', { ...data, offset: { ...data.offset, ...offset } })
        }
      />
      <SelectField
        label="Before or after the anchor"
        value={data.offset.direction}
        options={['before', 'after'] as const}
        onChange={(direction) =>
          onChange('direction', { ...data, offset: { ...data.offset, direction } })
        }
      />
      <TextField
        label="At local time (optional, HH:mm)"
        value={data.atLocalTime}
        onChange={(atLocalTime) => {
          const { atLocalTime: _old, ...rest } = data;
          onChange('atLocalTime', atLocalTime === '' ? rest : { ...rest, atLocalTime });
        }}
      />
      <fieldset className="field-row">
        <legend>Quiet hours (local)</legend>
        <TextField
          label="From"
          value={data.quietHours?.start}
          onChange={(start) =>
            onChange('quietHours', {
              ...data,
              quietHours: { start, end: data.quietHours?.end ?? '08:00' },
            })
          }
        />
        <TextField
          label="Until"
          value={data.quietHours?.end}
          onChange={(end) =>
            onChange('quietHours', {
              ...data,
              quietHours: { start: data.quietHours?.start ?? '21:00', end },
            })
          }
        />
      </fieldset>
      <fieldset>
        <legend>Only on (none ticked: any day)</legend>
        {WEEKDAY_NAMES.map((name, index) => (
          <label key={name} className="checkbox">
            <input
              type="checkbox"
              checked={weekdays.includes(index + 1)}
              onChange={() => toggleDay(index + 1)}
            />
            {name}
          </label>
        ))}
      </fieldset>
      <SelectField
        label="If the time has passed"
        value={data.ifPassed}
        options={[
          { value: 'continue', label: 'go on at once' },
          { value: 'exit', label: 'end the run' },
        ]}
        onChange={(ifPassed) => onChange('ifPassed', { ...data, ifPassed })}
      />
    </>
  );
}
