import type { JSX } from 'react';
import { TextField, toInt } from './fields.js';
import type { FormProps } from './form.types.js';
import { RuleBuilder } from './RuleBuilder.js';

/** `condition`: a label and its rules; `yes` when they hold. */
export function ConditionForm({ data, eventType, onChange }: FormProps<'condition'>): JSX.Element {
  return (
    <>
      <TextField
        label="Label"
        value={data.label}
        onChange={(label) => onChange('label', { ...data, label })}
      />
      <RuleBuilder
        label="Yes when"
        value={data.rules}
        eventType={eventType}
        onChange={(rules) => onChange('rules', { ...data, rules })}
      />
    </>
  );
}

/** `split`: branches and their percentages (the validator checks they add up to 100). */
export function SplitForm({ data, onChange }: FormProps<'split'>): JSX.Element {
  const total = data.branches.reduce((sum, branch) => sum + branch.percent, 0);
  const setBranch = (index: number, branch: { id: string; percent: number }) =>
    onChange(`branch-${index}`, {
      ...data,
      branches: data.branches.map((b, i) => (i === index ? branch : b)),
    });
  return (
    <fieldset>
      <legend>Branches (total {total}%)</legend>
      {data.branches.map((branch, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a branch's id is being edited here
        <div className="field-row" key={index}>
          <TextField
            label={`Branch ${index + 1} id`}
            value={branch.id}
            onChange={(id) => setBranch(index, { ...branch, id })}
          />
          <TextField
            label={`Branch ${index + 1} percent`}
            type="number"
            value={branch.percent}
            onChange={(text) => setBranch(index, { ...branch, percent: toInt(text, 0) })}
          />
        </div>
      ))}
      <button
        type="button"
        disabled={data.branches.length >= 10}
        onClick={() =>
          onChange('branches', {
            ...data,
            branches: [...data.branches, { id: `b${data.branches.length + 1}`, percent: 0 }],
          })
        }
      >
        Add branch
      </button>
      <button
        type="button"
        disabled={data.branches.length <= 2}
        onClick={() => onChange('branches', { ...data, branches: data.branches.slice(0, -1) })}
      >
        Remove last branch
      </button>
    </fieldset>
  );
}

/** `exit`: the outcome and an optional reason. */
export function ExitForm({ data, onChange }: FormProps<'exit'>): JSX.Element {
  return (
    <>
      <TextField
        label="Outcome"
        value={data.outcome}
        onChange={(outcome) => onChange('outcome', { ...data, outcome })}
      />
      <TextField
        label="Reason (optional)"
        value={data.reason}
        onChange={(reason) =>
          onChange('reason', reason === '' ? { outcome: data.outcome } : { ...data, reason })
        }
      />
    </>
  );
}
