import { AppError } from '../engine/errors/app-error.js';
import { patientFieldValues } from '../engine/events/patient-record.js';
import type { PatientFacts } from '../engine/interpreter/run-state.js';
import { loadPatient } from '../server/db/patients.store.js';
import type { ActivityDeps } from './activity-deps.js';

/**
 * Loads what the run's conditions read about the patient: only the plan's `patientFields`
 * (minimum necessary), plus the patient's zone. The result passes through Temporal history,
 * encrypted by the payload codec.
 */
export async function loadPatientFacts(
  deps: ActivityDeps,
  input: { patientId: string; fields: string[] },
): Promise<PatientFacts> {
  const record = await loadPatient(deps.pool, deps.keyring, input.patientId);
  if (record === undefined) {
    throw new AppError('internal_error', `Patient "${input.patientId}" is not in the directory.`);
  }
  const available = patientFieldValues(record);
  const fields: Record<string, unknown> = {};
  for (const field of input.fields) {
    if (available[field] !== undefined) {
      fields[field] = available[field];
    }
  }
  return { timeZone: record.timeZone, fields };
}
