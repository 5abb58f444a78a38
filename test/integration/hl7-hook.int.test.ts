import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvent } from '../../server/db/inbox.store.js';
import { loadPatient } from '../../server/db/patients.store.js';
import { loadPrescription } from '../../server/db/prescriptions.store.js';
import { FIXTURES_DIR, hasFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/harness.js';
import { derivedSiu } from '../support/hl7-messages.js';
import { HL7_HOOK_EXPECTATIONS } from './hl7-hook.expectations.js';

/** An ACK's segments as lists of fields (`fields[0]` is the segment name). */
function segmentsOf(ack: string): string[][] {
  return ack
    .split('\r')
    .filter((line) => line !== '')
    .map((line) => line.split('|'));
}

function msa(ack: string): string[] {
  return segmentsOf(ack).find((fields) => fields[0] === 'MSA') ?? [];
}

function err(ack: string): string[] | undefined {
  return segmentsOf(ack).find((fields) => fields[0] === 'ERR');
}

function valueAt(data: Record<string, unknown>, dotted: string): unknown {
  const [group = '', name = ''] = dotted.split('.');
  return (data[group] as Record<string, unknown> | undefined)?.[name];
}

describe('POST /api/hooks/hl7', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ withWorker: false });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const post = (body: string, type = 'x-application/hl7-v2+er7') =>
    request(harness.app).post('/api/hooks/hl7').set('content-type', type).send(body);

  const counts = async () => {
    const result = await harness.pool.query<{
      inbox: string;
      patients: string;
      prescriptions: string;
    }>(
      `SELECT (SELECT count(*) FROM inbox_events) AS inbox, (SELECT count(*) FROM patients) AS patients,
              (SELECT count(*) FROM prescriptions) AS prescriptions`,
    );
    return result.rows[0] as { inbox: string; patients: string; prescriptions: string };
  };

  const newestEvent = async () => {
    const row = await harness.pool.query<{ id: string }>(
      'SELECT id FROM inbox_events ORDER BY received_at DESC, id LIMIT 1',
    );
    return loadEvent(harness.pool, harness.keyring, row.rows[0]?.id ?? '');
  };

  describe.skipIf(!hasFixtures)('on every HL7 v2 fixture', () => {
    for (const [file, expected] of HL7_HOOK_EXPECTATIONS) {
      it(`answers ${file} as expected`, async () => {
        const before = await counts();
        const text = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');

        const response = await post(text);

        expect(response.status, response.text).toBe(expected.status);
        expect(response.headers['content-type']).toContain('x-application/hl7-v2+er7');
        expect(msa(response.text)[1]).toBe(expected.ack);
        const after = await counts();
        expect(Number(after.inbox) - Number(before.inbox)).toBe(
          expected.event === undefined ? 0 : 1,
        );
        if (expected.event !== undefined) {
          const event = await newestEvent();
          expect(event?.type).toBe(expected.event.type);
          expect(event?.subject.resourceType).toBe(expected.event.subjectType);
          for (const [dotted, value] of Object.entries(expected.event.data ?? {})) {
            const actual = valueAt(event?.data ?? {}, dotted);
            if (typeof value === 'object') {
              expect(Date.parse(String(actual)), dotted).toBe(Date.parse(value.instant));
            } else {
              expect(actual, dotted).toBe(value);
            }
          }
        }
        if (expected.error !== undefined) {
          expect(err(response.text)?.[2]).toBe(expected.error.location);
          expect(err(response.text)?.[3]?.split('^')[0]).toBe(expected.error.code);
          expect(after).toEqual(before);
        }
        if (expected.storesPatient !== true && expected.error === undefined) {
          expect(after.patients).toBe(before.patients);
        }
        if (expected.prescription !== undefined) {
          const row = await harness.pool.query<{ source: string; source_id: string }>(
            'SELECT source, source_id FROM prescriptions ORDER BY updated_at DESC LIMIT 1',
          );
          const stored = await loadPrescription(
            harness.pool,
            harness.keyring,
            row.rows[0]?.source ?? '',
            row.rows[0]?.source_id ?? '',
          );
          expect(stored?.record.medication).toBe(expected.prescription);
        }
      });
    }

    it('takes no address from ROL and keeps the record of death (ADT-A03-01)', async () => {
      const event = await harness.pool.query<{ patient_id: string }>(
        "SELECT patient_id FROM inbox_events WHERE type = 'patient.discharged' LIMIT 1",
      );
      const record = await loadPatient(
        harness.pool,
        harness.keyring,
        event.rows[0]?.patient_id ?? '',
      );

      expect(record).toMatchObject({ firstName: 'ADAM', lastName: 'EVERYMAN', deceased: true });
      expect(record?.email).toBeUndefined();
    });

    it('stores no HL7 identifier in plaintext (MRN, appointment and visit numbers)', async () => {
      const rows = await harness.pool.query<{ text: string }>(
        `SELECT string_agg(source_id, ' ') AS text FROM patients
         UNION ALL SELECT string_agg(subject_id, ' ') FROM inbox_events
         UNION ALL SELECT string_agg(source_id, ' ') FROM appointments
         UNION ALL SELECT string_agg(source_id, ' ') FROM prescriptions`,
      );
      const stored = rows.rows.map((row) => row.text ?? '').join(' ');

      for (const identifier of [
        'PATID1234',
        '36996',
        '12345',
        '40007716',
        '1163422591',
        '123456789',
      ]) {
        expect(stored).not.toContain(identifier);
      }
    });
  });

  describe.skipIf(!hasFixtures)('messages derived from the fixtures', () => {
    it('answers a redelivery (same MSH-10) with AA again and starts nothing new', async () => {
      const message = derivedSiu({
        trigger: 'S12',
        appointmentId: 'redelivered-1',
        start: new Date(Date.now() + 3 * 86_400_000),
      });

      const first = await post(message);
      const before = await counts();
      const again = await post(message);

      expect(msa(first.text)[1]).toBe('AA');
      expect(msa(again.text)[1]).toBe('AA');
      expect(msa(again.text)[3]).toContain('Redelivery');
      expect((await counts()).inbox).toBe(before.inbox);
    });

    it('answers each message of a batch (FHS/BHS … BTS/FTS)', async () => {
      const start = new Date(Date.now() + 3 * 86_400_000);
      const one = derivedSiu({ trigger: 'S12', appointmentId: 'batch-1', start });
      const two = derivedSiu({ trigger: 'S12', appointmentId: 'batch-2', start });
      const batch = `FHS|^~\\&|SCHApp\rBHS|^~\\&|SCHApp\r${one}${two}BTS|2\rFTS|1\r`;

      const response = await post(batch, 'application/hl7-v2');

      expect(response.status).toBe(200);
      expect(segmentsOf(response.text)[0]?.[0]).toBe('BHS');
      expect(
        segmentsOf(response.text)
          .filter((fields) => fields[0] === 'MSA')
          .map((fields) => fields[1]),
      ).toEqual(['AA', 'AA']);
    });

    it('reads CR, LF and CRLF segment endings alike', async () => {
      const start = new Date(Date.now() + 3 * 86_400_000);
      for (const [index, ending] of ['\r', '\n', '\r\n'].entries()) {
        const message = derivedSiu({ trigger: 'S12', appointmentId: `endings-${index}`, start });

        const response = await post(message.replace(/\r/g, ending), 'text/plain');

        expect(msa(response.text)[1]).toBe('AA');
      }
    });

    it('refuses a message without PID-3 with AE and an ERR naming PID-3, storing nothing', async () => {
      const message = derivedSiu({
        trigger: 'S12',
        appointmentId: 'no-pid-3',
        start: new Date(Date.now() + 86_400_000),
      })
        .split('\r')
        .map((line) =>
          line.startsWith('PID|') ? line.replace(/^PID\|1\|[^|]*\|[^|]*\|/, 'PID|1|||') : line,
        )
        .join('\r');
      const before = await counts();

      const response = await post(message);

      expect(response.status).toBe(400);
      expect(msa(response.text)[1]).toBe('AE');
      expect(err(response.text)?.[2]).toBe('PID^1^3');
      expect(err(response.text)?.[3]?.split('^')[0]).toBe('101');
      expect(await counts()).toEqual(before);
    });

    it('refuses an unreadable start time with AE naming TQ1-7', async () => {
      const message = derivedSiu({
        trigger: 'S12',
        appointmentId: 'bad-time',
        start: new Date(),
      }).replace(
        /\rTQ1\|([^|]*\|){6}[^|]*/,
        (segment) => `${segment.slice(0, segment.lastIndexOf('|') + 1)}next Tuesday`,
      );

      const response = await post(message);

      expect(msa(response.text)[1]).toBe('AE');
      expect(err(response.text)?.[2]).toBe('TQ1^1^7');
    });

    it('refuses a body that is not HL7 with AR, and the wrong content type with 415', async () => {
      const notHl7 = await post('{"resourceType": "Patient"}', 'text/plain');
      const json = await post('MSH|^~\\&|A', 'application/json');

      expect(notHl7.status).toBe(400);
      expect(msa(notHl7.text)[1]).toBe('AR');
      expect(json.status).toBe(415);
      expect(json.body.code).toBe('unsupported_media_type');
    });
  });

  it('publishes the route in the OpenAPI document', async () => {
    const response = await request(harness.app).get('/api/openapi.json');

    expect(Object.keys(response.body.paths)).toContain('/api/hooks/hl7');
  });
});
