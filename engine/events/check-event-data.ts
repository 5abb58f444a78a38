import type { Issue } from '../errors/app-error.js';
import { parseFhirDateTime } from '../schedule/fhir-date-time.js';
import { type VariableSpec, variablesFor } from '../templates/catalogue.js';

const NOT_EVENT_DATA = new Set(['patient', 'organisation', 'links']);

/**
 * Checks event data posted to the events API against the variables the catalogue says its type
 * carries: each one given must have the catalogue's type (a datetime needs a UTC offset, or a
 * reminder would move by hours). Members the catalogue does not know are kept but no journey
 * can read them; custom event types carry none.
 *
 * @param eventType - the event's type
 * @param data - the event's data, grouped as the catalogue names them (`{ appointment: { … } }`)
 * @returns every problem, empty when the data fits
 */
export function checkEventData(
  eventType: string,
  data: Readonly<Record<string, unknown>>,
): Issue[] {
  const issues: Issue[] = [];
  for (const spec of variablesFor(eventType)) {
    const [group = '', name = ''] = spec.path.split('.');
    if (NOT_EVENT_DATA.has(group)) {
      continue;
    }
    const members = data[group];
    const value =
      members !== null && typeof members === 'object' && !Array.isArray(members)
        ? (members as Record<string, unknown>)[name]
        : undefined;
    if (value === undefined || value === null) {
      continue;
    }
    const problem = typeProblem(spec, value);
    if (problem !== undefined) {
      issues.push({
        code: 'event_data_invalid',
        message: `"data.${spec.path}" ${problem}`,
        field: `data.${spec.path}`,
      });
    }
  }
  return issues;
}

function typeProblem(spec: VariableSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'datetime': {
      const parsed = parseFhirDateTime(value);
      return parsed.ok && parsed.value.kind === 'instant'
        ? undefined
        : 'must be a date-time with a UTC offset, e.g. 2026-06-10T09:00:00+02:00.';
    }
    case 'date': {
      const parsed = parseFhirDateTime(value);
      return parsed.ok ? undefined : 'must be a date (2026-06-10) or a date-time with an offset.';
    }
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string.';
    case 'number':
      return typeof value === 'number' ? undefined : 'must be a number.';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false.';
  }
}
