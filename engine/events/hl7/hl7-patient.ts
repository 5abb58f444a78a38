import { isEmailAddress } from '../fhir/patient.js';
import type { PatientRecord } from '../patient-record.js';
import { firstSegment, type Hl7Field, type Hl7Message, readField, valueOf } from './er7.js';
import { hl7Error } from './hl7-errors.js';

/** A patient as an HL7 message identifies and describes it (PID). */
export interface Hl7Patient {
  /** `authority|id` of the chosen PID-3 identifier; PHI, so the server keys it by a hash. */
  identifier: string;
  record: Omit<PatientRecord, 'sourceId'>;
}

// XPN-7 name types, best first: legal, display, unspecified; maiden and aliases last.
const NAME_TYPE_ORDER = ['L', 'D', 'U', '', 'B', 'C', 'N', 'A', 'S', 'M'];
// XTN-2 use codes, best first for an address the patient reads.
const EMAIL_USE_ORDER = ['NET', 'PRN', 'PRS', 'ORN', '', 'WPN'];

/**
 * Reads the patient of a message from its PID segment: PID-3 (the MR identifier, else the
 * first), PID-5 (the current name, legal before display), PID-13, PID-14 and PID-40 (the best
 * current Internet address; a value that is not an address is none), PID-7, PID-15, and PID-29
 * and PID-30 (any sign of death marks the patient deceased). Other segments are never read for
 * contact details: an address in ROL, NK1 or GT1 belongs to someone else.
 *
 * @param now - the current instant, to skip names and addresses whose validity has ended
 * @throws AppError `hl7_field_invalid` (AE) when there is no PID or no PID-3
 */
export function readHl7Patient(message: Hl7Message, now: string): Hl7Patient {
  const pid = firstSegment(message, 'PID');
  const identifiers = readField(message, pid, 3);
  const chosen =
    identifiers.repetitions.findIndex((repetition) => repetition[4]?.[0] === 'MR') + 1 || 1;
  const id = valueOf(identifiers, { repetition: chosen }).trim();
  if (pid === undefined || id === '') {
    throw hl7Error(
      'hl7_field_invalid',
      'PID-3 (patient identifier list) is required: Pathwell files the patient under it.',
      { ack: 'AE', code: '101', location: { segment: 'PID', sequence: 1, field: 3 } },
    );
  }
  const authority = valueOf(identifiers, { repetition: chosen, component: 4 }).trim();
  const today = now.slice(0, 10).replace(/-/g, '');

  const name = pickName(readField(message, pid, 5), today);
  const email = pickEmail(
    [13, 14, 40].map((position) => readField(message, pid, position)),
    today,
  );
  const birthDate = dateOf(valueOf(readField(message, pid, 7)));
  const language = valueOf(readField(message, pid, 15)).trim();
  const isDeceased =
    valueOf(readField(message, pid, 30))
      .trim()
      .toUpperCase() === 'Y' || valueOf(readField(message, pid, 29)).trim() !== '';

  return {
    identifier: `${authority}|${id}`,
    record: {
      ...name,
      ...(email === undefined ? {} : { email }),
      ...(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language) ? { language } : {}),
      deceased: isDeceased,
      ...(birthDate === undefined ? {} : { birthDate }),
    },
  };
}

function pickName(
  names: Hl7Field,
  today: string,
): Pick<PatientRecord, 'firstName' | 'lastName' | 'displayName'> {
  const current = names.repetitions
    .map((_, index) => index + 1)
    .filter((repetition) => {
      const ends = valueOf(names, { repetition, component: 13 }).slice(0, 8);
      return ends === '' || ends >= today;
    });
  const rank = (repetition: number) => {
    const index = NAME_TYPE_ORDER.indexOf(valueOf(names, { repetition, component: 7 }).trim());
    return index === -1 ? NAME_TYPE_ORDER.length : index;
  };
  const best = current.sort((a, b) => rank(a) - rank(b))[0];
  if (best === undefined) {
    return {};
  }
  const part = (component: number) => valueOf(names, { repetition: best, component }).trim();
  const family = part(1);
  const given = part(2) || part(3);
  const display = [part(2), part(3), family].filter((value) => value !== '').join(' ');
  return {
    ...(given === '' ? {} : { firstName: given }),
    ...(family === '' ? {} : { lastName: family }),
    ...(display === '' ? {} : { displayName: display }),
  };
}

function pickEmail(fields: Hl7Field[], today: string): string | undefined {
  const candidates: Array<{ address: string; use: string; preference: number }> = [];
  for (const field of fields) {
    for (const [index] of field.repetitions.entries()) {
      const at = (component: number) => valueOf(field, { repetition: index + 1, component }).trim();
      const isInternet = ['INTERNET', 'X.400'].includes(at(3).toUpperCase()) || at(2) === 'NET';
      const address = at(4);
      const ended = at(14).slice(0, 8);
      if (isInternet && isEmailAddress(address) && (ended === '' || ended >= today)) {
        candidates.push({
          address,
          use: at(2),
          preference: Number.parseInt(at(18), 10) || Number.MAX_SAFE_INTEGER,
        });
      }
    }
  }
  const rank = (use: string) => {
    const index = EMAIL_USE_ORDER.indexOf(use);
    return index === -1 ? EMAIL_USE_ORDER.length : index;
  };
  candidates.sort((a, b) => a.preference - b.preference || rank(a.use) - rank(b.use));
  return candidates[0]?.address;
}

function dateOf(value: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  return match === null ? undefined : `${match[1]}-${match[2]}-${match[3]}`;
}
