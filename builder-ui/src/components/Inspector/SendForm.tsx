import { useId, useState, type JSX } from 'react';
import { PROTECTION_POLICIES, PURPOSES } from '../../../../engine/journey/vocabulary.js';
import type { Template } from '../../../../engine/journey/nodes.schema.js';
import { variablesFor } from '../../../../engine/templates/catalogue.js';
import { SelectField, TextArea, TextField } from './fields.js';
import type { FormProps } from './form.types.js';
import { TemplatePreviewPanel } from './TemplatePreviewPanel.js';

type Part = 'subject' | 'preheader' | 'fromName' | 'text' | 'html';
const PARTS: ReadonlyArray<{ value: Part; label: string }> = [
  { value: 'subject', label: 'Subject' },
  { value: 'preheader', label: 'Preheader' },
  { value: 'fromName', label: 'Sender name' },
  { value: 'text', label: 'Text body' },
  { value: 'html', label: 'HTML body' },
];

/** `send.email`: template parts, declared variables, purpose and protection policy. */
export function SendForm({ data, eventType, onChange }: FormProps<'send.email'>): JSX.Element {
  const template = data.template;
  const setTemplate = (field: string, next: Template) =>
    onChange(field, { ...data, template: next });
  const setPart = (part: Part, value: string) => {
    const next: Template = { ...template, [part]: value };
    if (value === '' && (part === 'preheader' || part === 'fromName')) {
      delete next[part];
    }
    setTemplate(part, next);
  };

  return (
    <>
      <SelectField
        label="Purpose"
        value={data.purpose}
        options={PURPOSES}
        onChange={(purpose) => onChange('purpose', { ...data, purpose })}
      />
      <SelectField
        label="Protection policy"
        value={data.protection}
        options={PROTECTION_POLICIES}
        onChange={(protection) => onChange('protection', { ...data, protection })}
      />
      <TextField label="Subject" value={template.subject} onChange={(v) => setPart('subject', v)} />
      <TextField
        label="Preheader"
        value={template.preheader}
        onChange={(v) => setPart('preheader', v)}
      />
      <TextField
        label="Sender name"
        value={template.fromName}
        onChange={(v) => setPart('fromName', v)}
      />
      <TextArea label="Text body" value={template.text} onChange={(v) => setPart('text', v)} />
      <TextArea label="HTML body" value={template.html} onChange={(v) => setPart('html', v)} />
      <VariableInserter
        eventType={eventType}
        declared={template.variables}
        onInsert={(part, path) =>
          setTemplate(`insert-${path}`, {
            ...template,
            [part]: `${template[part] ?? ''}{{ ${path} }}`,
            variables: template.variables.includes(path)
              ? template.variables
              : [...template.variables, path],
          })
        }
        onUndeclare={(path) =>
          setTemplate(`undeclare-${path}`, {
            ...template,
            variables: template.variables.filter((v) => v !== path),
          })
        }
      />
      <TemplatePreviewPanel template={template} eventType={eventType} />
    </>
  );
}

function VariableInserter(props: {
  eventType: string | undefined;
  declared: readonly string[];
  onInsert: (part: Part, path: string) => void;
  onUndeclare: (path: string) => void;
}) {
  const listId = useId();
  const specs = variablesFor(props.eventType).filter((spec) => spec.isConditionOnly !== true);
  const [part, setPart] = useState<Part>('text');
  const [path, setPath] = useState('');
  const isKnown = specs.some((spec) => spec.path === path);
  return (
    <fieldset>
      <legend>Variables</legend>
      <datalist id={listId}>
        {specs.map((spec) => (
          <option key={spec.path} value={spec.path}>
            {`${spec.description} (${spec.sensitivity})`}
          </option>
        ))}
      </datalist>
      <TextField label="Variable" value={path} list={listId} onChange={setPath} />
      <SelectField label="Insert into" value={part} options={PARTS} onChange={setPart} />
      <button type="button" disabled={!isKnown} onClick={() => props.onInsert(part, path)}>
        Insert and declare
      </button>
      <ul aria-label="Declared variables">
        {props.declared.map((declared) => (
          <li key={declared}>
            <code>{declared}</code>{' '}
            <button type="button" onClick={() => props.onUndeclare(declared)}>
              Undeclare {declared}
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
