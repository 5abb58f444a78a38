import { useId, type JSX } from 'react';
import {
  isRuleGroup,
  type Rule,
  type RuleGroup,
  type RuleOperator,
} from '../../../../engine/journey/rules.schema.js';
import { variablesFor } from '../../../../engine/templates/catalogue.js';
import { SelectField, TextField } from './fields.js';

const OPERATORS: readonly RuleOperator[] = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'exists',
  'not_exists',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'before',
  'after',
];

/**
 * Edits a rule group: all or any of a list of field / operator / value rules, with fields from
 * the catalogue of the trigger's event type.
 */
export function RuleBuilder(props: {
  label: string;
  value: RuleGroup;
  eventType: string | undefined;
  onChange: (value: RuleGroup) => void;
}): JSX.Element {
  const { value, onChange } = props;
  const listId = useId();
  const fields = variablesFor(props.eventType).map((spec) => spec.path);
  const setRule = (index: number, rule: Rule | RuleGroup) =>
    onChange({ ...value, rules: value.rules.map((r, i) => (i === index ? rule : r)) });
  const removeRule = (index: number) =>
    onChange({ ...value, rules: value.rules.filter((_, i) => i !== index) });
  const addRule = () =>
    onChange({
      ...value,
      rules: [...value.rules, { field: fields[0] ?? 'patient.language', op: 'exists' }],
    });

  return (
    <fieldset className="rule-builder">
      <legend>{props.label}</legend>
      <datalist id={listId}>
        {fields.map((field) => (
          <option key={field} value={field} />
        ))}
      </datalist>
      <SelectField
        label="Match"
        value={value.combinator}
        options={[
          { value: 'all', label: 'all of these rules' },
          { value: 'any', label: 'any of these rules' },
        ]}
        onChange={(combinator) => onChange({ ...value, combinator })}
      />
      <ol>
        {value.rules.map((rule, index) => (
          // Rules have no ids of their own; their place is their identity while editing.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index}>
            {isRuleGroup(rule) ? (
              <p>A nested group of {rule.rules.length} rules (edit it in the JSON export).</p>
            ) : (
              <RuleRow rule={rule} listId={listId} onChange={(next) => setRule(index, next)} />
            )}
            <button type="button" onClick={() => removeRule(index)}>
              Remove rule {index + 1}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={addRule}>
        Add rule
      </button>
    </fieldset>
  );
}

function RuleRow(props: { rule: Rule; listId: string; onChange: (rule: Rule) => void }) {
  const { rule, onChange } = props;
  const hasValue = rule.op !== 'exists' && rule.op !== 'not_exists';
  const valueText = 'value' in rule ? toText(rule.value) : '';
  return (
    <div className="rule-row">
      <TextField
        label="Field"
        value={rule.field}
        list={props.listId}
        onChange={(field) => onChange({ ...rule, field })}
      />
      <SelectField
        label="Operator"
        value={rule.op}
        options={OPERATORS}
        onChange={(op) => onChange(withOperator(rule, op, valueText))}
      />
      {hasValue ? (
        <TextField
          label="Value"
          value={valueText}
          onChange={(text) => onChange(withOperator(rule, rule.op, text))}
        />
      ) : null}
    </div>
  );
}

function toText(value: unknown): string {
  if (Array.isArray(value)) {
    return value.join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// The value's type follows the operator: numbers for comparisons, lists for in / not_in.
function withOperator(rule: Rule, op: RuleOperator, text: string): Rule {
  const field = rule.field;
  switch (op) {
    case 'exists':
    case 'not_exists':
      return { field, op };
    case 'in':
    case 'not_in':
      return { field, op, value: text.split(',').map((part) => part.trim()) };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { field, op, value: Number(text) || 0 };
    case 'equals':
    case 'not_equals':
    case 'contains':
    case 'before':
    case 'after':
      return { field, op, value: text };
    case 'within':
      return { field, op, value: { amount: 1, unit: 'days', direction: 'next' } };
  }
}
