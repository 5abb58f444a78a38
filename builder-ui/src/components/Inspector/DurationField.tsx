import type { JSX } from 'react';
import { DURATION_UNITS, type Duration } from '../../../../engine/journey/vocabulary.js';
import { SelectField, TextField, toInt } from './fields.js';

/** An amount and a unit. */
export function DurationField(props: {
  label: string;
  value: Duration;
  onChange: (value: Duration) => void;
}): JSX.Element {
  const { value, onChange } = props;
  return (
    <fieldset className="field-row">
      <legend>{props.label}</legend>
      <TextField
        label="Amount"
        type="number"
        value={value.amount}
        onChange={(text) => onChange({ ...value, amount: toInt(text, 0) })}
      />
      <SelectField
        label="Unit"
        value={value.unit}
        options={DURATION_UNITS}
        onChange={(unit) => onChange({ ...value, unit })}
      />
    </fieldset>
  );
}
