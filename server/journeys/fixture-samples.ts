import fs from 'node:fs';
import path from 'node:path';
import type { Appointment } from 'fhir/r4.js';
import { DateTime } from 'luxon';
import { readAppointment } from '../../engine/events/fhir/appointment.js';

/** A sample event for the builder's simulator, read from one fixture file. */
export interface FixtureSample {
  /** `fixture:<folder>/<file>`: where it came from. */
  name: string;
  label: string;
  eventType: string;
  /** The CareEvent data the engine reads from the fixture. */
  data: Record<string, unknown>;
  /** A virtual clock start three days before the appointment, so its waits have room. */
  suggestedStartAt: string;
}

const APPOINTMENT_FOLDER = 'fhir-r4-core';

/**
 * The fixture appointments as simulator samples, read with the engine's own FHIR reader (the
 * same one the webhook uses), so the simulator sees the event the webhook would make. Fixture
 * resources are published examples, not patients' records. An absent folder gives none.
 *
 * @param fixturesDir - `PATHWELL_FIXTURES`
 */
export function readFixtureSamples(fixturesDir: string): FixtureSample[] {
  const folder = path.join(fixturesDir, APPOINTMENT_FOLDER);
  if (!fs.existsSync(folder)) {
    return [];
  }
  const samples: FixtureSample[] = [];
  for (const file of fs.readdirSync(folder).sort()) {
    if (!/^appointment-.*\.json$/.test(file)) {
      continue;
    }
    const sample = appointmentSample(path.join(folder, file), `${APPOINTMENT_FOLDER}/${file}`);
    if (sample !== null) {
      samples.push(sample);
    }
  }
  return samples;
}

function appointmentSample(file: string, name: string): FixtureSample | null {
  try {
    const resource = JSON.parse(fs.readFileSync(file, 'utf8')) as Appointment;
    const reading = readAppointment(resource, (ref) => ref.startsWith('Patient/'), undefined);
    if (reading.kind !== 'event') {
      return null;
    }
    const start = DateTime.fromISO(reading.data.appointment.start, { zone: 'UTC' });
    return {
      name: `fixture:${name}`,
      label: `Fixture ${name} (${reading.type}, starts ${reading.data.appointment.start})`,
      eventType: reading.type,
      data: { ...reading.data },
      suggestedStartAt: start.minus({ days: 3 }).toISO({ suppressMilliseconds: true }) ?? '',
    };
  } catch {
    // A fixture the reader refuses (no patient participant, a bad start) is no sample.
    return null;
  }
}
