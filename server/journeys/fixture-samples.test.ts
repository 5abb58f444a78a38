import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFixtureSamples } from './fixture-samples.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-samples-'));
fs.mkdirSync(path.join(dir, 'fhir-r4-core'));
const write = (file: string, body: unknown) =>
  fs.writeFileSync(path.join(dir, 'fhir-r4-core', file), JSON.stringify(body));

write('appointment-a.json', {
  resourceType: 'Appointment',
  id: 'a',
  status: 'booked',
  start: '2030-05-10T14:00:00Z',
  end: '2030-05-10T14:30:00Z',
  participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
});
write('appointment-proposed.json', {
  resourceType: 'Appointment',
  id: 'b',
  status: 'proposed',
  participant: [{ actor: { reference: 'Patient/p1' }, status: 'needs-action' }],
});
write('patient-x.json', { resourceType: 'Patient', id: 'x' });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readFixtureSamples', () => {
  it('reads fixture appointments as the webhook would, with a clock start before them', () => {
    const samples = readFixtureSamples(dir);

    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({
      name: 'fixture:fhir-r4-core/appointment-a.json',
      eventType: 'appointment.booked',
      data: { appointment: { start: '2030-05-10T14:00:00Z', status: 'booked' } },
      suggestedStartAt: '2030-05-07T14:00:00Z',
    });
  });

  it('lists none when the fixture folder is absent', () => {
    expect(readFixtureSamples(path.join(dir, 'nowhere'))).toEqual([]);
  });
});
