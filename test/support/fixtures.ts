import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Appointment, Bundle, Patient } from 'fhir/r4.js';

/**
 * The shared fixture folder (`PATHWELL_FIXTURES`, default `../shared/fixtures`). Tests read the
 * files where they lie and never copy them; when the folder is absent they say so and skip.
 */
export const FIXTURES_DIR = path.resolve(process.env.PATHWELL_FIXTURES ?? '../shared/fixtures');

/** Whether the fixture folder is present. */
export const hasFixtures = fs.existsSync(path.join(FIXTURES_DIR, 'SOURCES.md'));

if (!hasFixtures) {
  process.stderr.write(
    `Fixture tests are skipped: ${FIXTURES_DIR} does not exist (see README, "Fixtures").\n`,
  );
}

/** A fixture's parsed JSON. */
export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, relative), 'utf8').replace(/^\uFEFF/, ''),
  ) as T;
}

/** Every fixture file under a folder of the fixture tree, relative to the tree. */
export function listFixtures(folder: string, extension = '.json'): string[] {
  const dir = path.join(FIXTURES_DIR, folder);
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => path.relative(FIXTURES_DIR, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Options for {@link reminderBundle}. */
export interface ReminderBundleOptions {
  /** When the appointment starts, as a Date. */
  start: Date;
  /** IANA zone for the timezone extension on the Patient, if any. */
  patientZone?: string;
  /** IANA zone for the timezone extension on the Appointment, if any. */
  appointmentZone?: string;
  /** Drop the patient's email (the "no" branch). */
  withoutEmail?: boolean;
  /** An email address instead of the fixture's. */
  email?: string;
}

/**
 * A transaction Bundle derived from the fixtures: patient-example-f001-pieter (the core example
 * with an email) and appointment-example, with fresh ids so reruns never deduplicate each other,
 * the start moved to `start`, and the patient participant pointing at the patient.
 */
export function reminderBundle(options: ReminderBundleOptions): {
  bundle: Bundle;
  patientId: string;
  appointmentId: string;
} {
  const patient = readFixture<Patient>('fhir-r4-core/patient-example-f001-pieter.json');
  const appointment = readFixture<Appointment>('fhir-r4-core/appointment-example.json');
  const patientId = `pat-${randomUUID().slice(0, 8)}`;
  const appointmentId = `apt-${randomUUID().slice(0, 8)}`;

  patient.id = patientId;
  if (options.patientZone !== undefined) {
    patient.extension = [
      { url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: options.patientZone },
    ];
  }
  if (options.withoutEmail === true) {
    patient.telecom = (patient.telecom ?? []).filter((point) => point.system !== 'email');
  } else if (options.email !== undefined) {
    patient.telecom = [{ system: 'email', value: options.email, use: 'home' }];
  }

  appointment.id = appointmentId;
  appointment.start = options.start.toISOString().replace(/\.\d{3}Z$/, 'Z');
  appointment.end = new Date(options.start.getTime() + 3_600_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  if (options.appointmentZone !== undefined) {
    appointment.extension = [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/timezone',
        valueCode: options.appointmentZone,
      },
    ];
  }
  const patientParticipant = appointment.participant.find(
    (participant) => participant.actor?.reference === 'Patient/example',
  );
  if (patientParticipant?.actor !== undefined) {
    patientParticipant.actor.reference = `Patient/${patientId}`;
  }

  return {
    bundle: {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: patient,
          request: { method: 'PUT', url: `Patient/${patientId}` },
        },
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: appointment,
          request: { method: 'PUT', url: `Appointment/${appointmentId}` },
        },
      ],
    },
    patientId,
    appointmentId,
  };
}
