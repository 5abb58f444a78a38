import { describe, expect, it } from 'vitest';
import type { IngestLookups } from '../ingest-plan.js';
import { parseHl7 } from './er7.js';
import { hl7LookupsNeeded, planHl7Ingest } from './plan-hl7.js';
import { readHl7Message } from './read-hl7.js';

const opaque = (kind: string, value: string) => `${kind}#${value.length}`;
const NOTHING: IngestLookups = {
  knownAppointments: new Map(),
  knownPrescriptions: new Map(),
  directoryPatients: new Set(),
  seenKeys: new Set(),
};

function siu(trigger: string, start = '20260110090000+0100'): string {
  return [
    `MSH|^~\\&|SCH|GHH|PW|PWF|20260101120000+0100||SIU^${trigger}|M-${trigger}|P|2.5.1`,
    'SCH|P1|F1',
    `TQ1|||||||${start}|20260110093000+0100`,
    'PID|1||MRN1^^^H^MR||Doe^Ana||19800101|F|||||^NET^Internet^ana@example.org',
  ].join('\r');
}

function plan(text: string, lookups = NOTHING) {
  const reading = readHl7Message(parseHl7(text), {
    orgTimeZone: 'UTC',
    receivedAt: '2026-01-01T00:00:00Z',
  });
  return planHl7Ingest(reading, lookups, opaque);
}

describe('planHl7Ingest', () => {
  it('books an appointment it does not know, and stores the patient under an opaque key', () => {
    const result = plan(siu('S12'));

    expect(result.events).toMatchObject([
      {
        type: 'appointment.booked',
        subject: { resourceType: 'Appointment', id: 'appointment#2' },
        data: { appointment: { start: '2026-01-10T08:00:00Z' } },
      },
    ]);
    expect(result.patients[0]).toMatchObject({
      sourceId: 'hl7:patient#6',
      record: { email: 'ana@example.org' },
    });
  });

  it('reads S13 for a known appointment at a new time as a reschedule', () => {
    const known = new Map([['appointment#2', { status: 'booked', start: '2026-01-09T08:00:00Z' }]]);

    expect(plan(siu('S13'), { ...NOTHING, knownAppointments: known }).events[0]?.type).toBe(
      'appointment.rescheduled',
    );
  });

  it('reads S14 that changes nothing Pathwell knows as no change', () => {
    const known = new Map([
      [
        'appointment#2',
        { status: 'booked', start: '2026-01-10T08:00:00Z', end: '2026-01-10T08:30:00Z' },
      ],
    ]);

    expect(plan(siu('S14'), { ...NOTHING, knownAppointments: known }).ignored[0]?.reason).toBe(
      'no_change',
    );
  });

  it.each(['S15', 'S17', 'S26'])('reads %s as a cancellation', (trigger) => {
    expect(plan(siu(trigger)).events[0]?.type).toBe('appointment.cancelled');
  });

  it('recognises a redelivery by MSH-10 and still updates the patient', () => {
    const text = siu('S12');
    const reading = readHl7Message(parseHl7(text), {
      orgTimeZone: 'UTC',
      receivedAt: '2026-01-01T00:00:00Z',
    });
    const [key = ''] = hl7LookupsNeeded(reading, opaque).idempotencyKeys;

    const result = plan(text, { ...NOTHING, seenKeys: new Set([key]) });

    expect(key).toBe('HL7/SCH^GHH/SIU^S12/M-S12');
    expect(result.events).toEqual([]);
    expect(result.redelivered).toHaveLength(1);
    expect(result.patients).toHaveLength(1);
  });
});
