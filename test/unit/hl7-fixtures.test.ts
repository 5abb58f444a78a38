import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../engine/errors/app-error.js';
import { splitHl7Envelope } from '../../engine/events/hl7/batch.js';
import {
  firstSegment,
  parseHl7,
  readField,
  segmentsNamed,
  valueOf,
} from '../../engine/events/hl7/er7.js';
import { hl7FaultOf } from '../../engine/events/hl7/hl7-errors.js';
import { type Hl7Reading, readHl7Message } from '../../engine/events/hl7/read-hl7.js';
import { FIXTURES_DIR, hasFixtures, listFixtures } from '../support/fixtures.js';

const CONTEXT = { orgTimeZone: 'America/New_York', receivedAt: '2026-06-01T12:00:00Z' };

/** What reading one HL7 fixture gives, written by hand from reading the file. */
type Expected =
  | { refused: { code: string; ack: string; field: number } }
  | {
      event: string;
      controlId: string;
      version: string;
      action: Partial<Hl7Reading['action']>;
      patient?: Record<string, unknown>;
      hasNoEmail?: boolean;
    };

// The GHH samples share one patient: ADAM A EVERYMAN (PID-5, first repetition; the second, the
// legal name "Josh", ended in 1924), no email in PID-13/14/40 (PID-40 is "89898989" filed as
// Internet, which is not an address; the addresses in ROL belong to providers), and PID-29/30
// record a death.
const EVERYMAN = {
  firstName: 'ADAM',
  lastName: 'EVERYMAN',
  deceased: true,
  birthDate: '1988-08-18',
};

const HL7_EXPECTATIONS: Array<[string, Expected]> = [
  [
    'hl7v2/ADT-A03-01.hl7',
    {
      event: 'ADT^A03',
      controlId: 'MSG00001',
      version: '2.8',
      // PV1-45 20150209113419+0110 (10:24:19Z, the instant FHIR-Converter wrote as
      // 15:54:19+05:30); PV1-19 visit number 40007716; PV1-2 class P.
      action: {
        kind: 'discharge',
        visitId: '40007716',
        discharge: { at: '2015-02-09T10:24:19Z', isApproximate: false, class: 'P' },
      },
      patient: EVERYMAN,
      hasNoEmail: true,
    },
  ],
  [
    'hl7v2/ADT-A04-01.hl7',
    {
      event: 'ADT^A04',
      controlId: 'MSG00001',
      version: '2.8',
      action: { kind: 'patient' },
      patient: EVERYMAN,
      hasNoEmail: true,
    },
  ],
  [
    'hl7v2/ADT-A08-01.hl7',
    {
      event: 'ADT^A08',
      controlId: 'MSG00001',
      version: '2.8',
      action: { kind: 'patient' },
      patient: EVERYMAN,
      hasNoEmail: true,
    },
  ],
  [
    'hl7v2/ADT04-23.hl7',
    {
      event: 'ADT^A04',
      controlId: 'Q123456789T123456789X123456',
      version: '2.3',
      action: { kind: 'patient' },
      patient: { firstName: 'MARIO', lastName: 'BROS', deceased: false, birthDate: '1985-01-01' },
      hasNoEmail: true,
    },
  ],
  [
    'hl7v2/ORU-R01-01.hl7',
    {
      event: 'ORU^R01',
      controlId: '2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325',
      version: '2.5.1',
      action: { kind: 'ignored', reason: 'message_type_unsupported' },
    },
  ],
  [
    'hl7v2/RDE-O11-01.hl7',
    {
      event: 'RDE^O11',
      controlId: 'MSG00001',
      version: '2.8',
      // ORC-2 1163422591^EPC; RXE-2.2 the give code's text; RXE-12 number of refills 12.
      action: {
        kind: 'prescription',
        orderId: '1163422591',
        record: {
          medication: '200 ML BAG : NICARDIPINE IN NACL (ISO-OS) 40 MG/200 ML IV PGBK',
          refillsAllowed: 12,
        },
      },
      patient: EVERYMAN,
    },
  ],
  [
    'hl7v2/SIU-S12-01.hl7',
    {
      event: 'SIU^S12',
      controlId: 'MSG00012',
      version: '2.8',
      // SCH-2 36996; TQ1-7/8 20210924093000+0215 .. 20210924102000+0215; AIL-3 room and facility.
      action: {
        kind: 'appointment',
        appointmentId: '36996',
        state: { status: 'booked', start: '2021-09-24T07:15:00Z', end: '2021-09-24T08:05:00Z' },
        location: 'Room01, GH Clinic',
      },
      patient: EVERYMAN,
    },
  ],
  [
    'hl7v2/SIU-S15-01.hl7',
    {
      event: 'SIU^S15',
      controlId: 'MSG00015',
      version: '2.8',
      action: {
        kind: 'appointment',
        appointmentId: '36996',
        state: { status: 'cancelled', start: '2021-09-24T07:15:00Z', end: '2021-09-24T08:05:00Z' },
      },
    },
  ],
  [
    'hl7v2/SIU-S26-01.hl7',
    {
      event: 'SIU^S26',
      controlId: 'MSG00026',
      version: '2.8',
      action: {
        kind: 'appointment',
        appointmentId: '36996',
        state: expect.objectContaining({ status: 'noshow' }),
      },
    },
  ],
  [
    'hl7v2/Sample-ADT.txt',
    {
      event: 'ADT^O01',
      controlId: 'MSGID12349876',
      version: '2.3',
      action: { kind: 'ignored', reason: 'message_type_unsupported' },
    },
  ],
  [
    'hl7v2/Sample-ORM.txt',
    {
      event: 'ORM^O01',
      controlId: '3149',
      version: '2.3',
      action: { kind: 'ignored', reason: 'message_type_unsupported' },
    },
  ],
  // MSH-2 is "^~\\&": the backslash is both the escape character and the subcomponent
  // separator, so no reading of the message is certain.
  ['hl7v2/sample_win.hl7', { refused: { code: 'hl7_message_malformed', ack: 'AR', field: 2 } }],
];

function readFixtureMessage(file: string): Hl7Reading {
  const text = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
  const [first] = splitHl7Envelope(text).messages;
  return readHl7Message(parseHl7(first ?? ''), CONTEXT);
}

describe.skipIf(!hasFixtures)('reading the HL7 v2 fixtures', () => {
  it('has an expectation for every HL7 v2 fixture', () => {
    const present = [...listFixtures('hl7v2', '.hl7'), ...listFixtures('hl7v2', '.txt')].sort();

    expect(HL7_EXPECTATIONS.map(([file]) => file).sort()).toEqual(present);
  });

  for (const [file, expected] of HL7_EXPECTATIONS) {
    it(`reads ${file} as expected`, () => {
      if ('refused' in expected) {
        let caught: unknown;
        try {
          readFixtureMessage(file);
        } catch (error) {
          caught = error;
        }
        expect(isAppError(caught) && caught.code).toBe(expected.refused.code);
        expect(hl7FaultOf(caught)).toMatchObject({
          ack: expected.refused.ack,
          location: { field: expected.refused.field },
        });
        return;
      }

      const reading = readFixtureMessage(file);

      expect(`${reading.header.type}^${reading.header.trigger}`).toBe(expected.event);
      expect(reading.header.controlId).toBe(expected.controlId);
      expect(reading.header.version).toBe(expected.version);
      expect(reading.action).toMatchObject(expected.action);
      if (expected.patient !== undefined) {
        expect(reading.patient?.record).toMatchObject(expected.patient);
      }
      if (expected.hasNoEmail === true) {
        expect(reading.patient?.record.email).toBeUndefined();
      }
    });
  }

  it('decodes the formatting and hex escapes of Sample-ORM.txt', () => {
    const text = fs.readFileSync(path.join(FIXTURES_DIR, 'hl7v2/Sample-ORM.txt'), 'utf8');
    const message = parseHl7(text);
    const notes = segmentsNamed(message, 'NTE').map((nte) => valueOf(readField(message, nte, 3)));

    expect(notes).toEqual([
      'some text\nsome text after new line\nissue Efferent-Health#82',
      'some text\r\nsome text after new line\r\nissue Efferent-Health#81',
    ]);
  });

  it('decodes \\T\\ in the discharge fixture (PV1-14 "A\\T\\E")', () => {
    const text = fs.readFileSync(path.join(FIXTURES_DIR, 'hl7v2/ADT-A03-01.hl7'), 'utf8');
    const message = parseHl7(text);

    expect(valueOf(readField(message, firstSegment(message, 'PV1'), 14))).toBe(
      'NHS Provider-General (inc.A&E-this Hosp)',
    );
  });

  it('reads the same messages with CR-only segment endings (derived from SIU-S12-01)', () => {
    const text = fs.readFileSync(path.join(FIXTURES_DIR, 'hl7v2/SIU-S12-01.hl7'), 'utf8');

    const reading = readHl7Message(parseHl7(text.replace(/\n/g, '\r')), CONTEXT);

    expect(reading.action).toMatchObject({ kind: 'appointment', appointmentId: '36996' });
  });
});
