import type {
  Coding,
  ContactPoint,
  HumanName,
  Patient,
  PatientCommunication,
  Period,
} from 'fhir/r4.js';
import { isIanaZone } from '../../schedule/time-zone.js';
import type { PatientRecord } from '../patient-record.js';
import { objectsIn, stringOf, stringsIn } from './as-received.js';
import { timeZoneExtension } from './extensions.js';

// Deliberately simple: one @, no spaces, a dot in the domain. The SMTP peer has the last word;
// this only keeps values like a phone number filed under `system=email` out of the To header.
const EMAIL_SHAPE = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const EMAIL_USE_ORDER = ['home', 'mobile', 'work', undefined, 'temp'];
const NAME_USE_ORDER = ['official', 'usual', undefined, 'nickname', 'temp', 'anonymous'];

/**
 * Reads a FHIR R4 Patient into the directory's record.
 *
 * @param patient - the Patient resource
 * @param now - the current instant (ISO 8601), to tell current contact points from ended ones
 */
export function normalisePatient(patient: Patient, now: string): PatientRecord {
  const name = pickName(objectsIn<HumanName>(patient.name), now);
  const email = pickEmail(objectsIn<ContactPoint>(patient.telecom), now);
  const timeZone = timeZoneExtension(patient.extension, isIanaZone);
  const language = pickLanguage(patient);

  return {
    sourceId: patient.id ?? '',
    ...(name?.given === undefined ? {} : { firstName: name.given }),
    ...(name?.family === undefined ? {} : { lastName: name.family }),
    ...(name?.display === undefined ? {} : { displayName: name.display }),
    ...(email === undefined ? {} : { email }),
    ...(timeZone === undefined ? {} : { timeZone }),
    ...(language === undefined ? {} : { language }),
    deceased: isDeceased(patient),
    ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
  };
}

/** Whether a value is shaped like an email address Pathwell can put in a To header. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL_SHAPE.test(value);
}

function isCurrent(period: Period | undefined, now: string): boolean {
  if (typeof period !== 'object' || period === null) {
    return true;
  }
  const instant = Date.parse(now);
  const start = stringOf(period.start);
  const end = stringOf(period.end);
  const started = start === undefined || Date.parse(start) <= instant;
  const notEnded = end === undefined || Date.parse(end) > instant;
  return started && notEnded;
}

function pickEmail(telecom: ContactPoint[], now: string): string | undefined {
  const candidates = telecom.filter(
    (point) =>
      point.system === 'email' &&
      point.use !== 'old' &&
      typeof point.value === 'string' &&
      isEmailAddress(point.value.trim()) &&
      isCurrent(point.period, now),
  );
  candidates.sort(
    (a, b) =>
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      EMAIL_USE_ORDER.indexOf(a.use) - EMAIL_USE_ORDER.indexOf(b.use),
  );
  return candidates[0]?.value?.trim();
}

function pickName(
  names: HumanName[],
  now: string,
): { given?: string; family?: string; display?: string } | undefined {
  const usable = names.filter((name) => name.use !== 'old' && isCurrent(name.period, now));
  usable.sort((a, b) => rankOf(NAME_USE_ORDER, a.use) - rankOf(NAME_USE_ORDER, b.use));
  const name = usable[0];
  if (name === undefined) {
    return undefined;
  }

  const givenParts = stringsIn(name.given);
  const given = givenParts.find((part) => part.trim() !== '')?.trim();
  const family = stringOf(name.family)?.trim() || undefined;
  const display =
    stringOf(name.text)?.trim() ||
    [givenParts.join(' '), stringOf(name.family)].filter(Boolean).join(' ').trim();
  return {
    ...(given === undefined ? {} : { given }),
    ...(family === undefined ? {} : { family }),
    ...(display === '' ? {} : { display }),
  };
}

function rankOf(order: Array<string | undefined>, use: string | undefined): number {
  const index = order.indexOf(use);
  return index === -1 ? order.length : index;
}

function pickLanguage(patient: Patient): string | undefined {
  const communications = objectsIn<PatientCommunication>(patient.communication);
  const chosen = communications.find((c) => c.preferred === true) ?? communications[0];
  const codings = objectsIn<Coding>(chosen?.language?.coding);
  return codings.map((coding) => stringOf(coding.code)).find((code) => code !== undefined);
}

// Any recorded date of death counts, even a malformed or future one: messaging a deceased
// patient's family by mistake is worse than missing a reminder.
function isDeceased(patient: Patient): boolean {
  return patient.deceasedBoolean === true || typeof patient.deceasedDateTime === 'string';
}
