import { describe, expect, it } from 'vitest';
import { buildAck } from './ack.js';
import { parseHl7 } from './er7.js';

const HEADER = {
  type: 'SIU',
  trigger: 'S12',
  controlId: 'MSG1',
  version: '2.5.1',
  sendingApplication: 'SCH',
  sendingFacility: 'GHH',
  receivingApplication: 'PW',
  receivingFacility: 'PWF',
};

describe('buildAck', () => {
  it('acknowledges with sender and receiver swapped and the answered control id', () => {
    const ack = buildAck({
      ack: 'AA',
      header: HEADER,
      controlId: 'A1',
      now: '2026-01-02T03:04:05Z',
    });

    expect(ack.split('\r')).toEqual([
      'MSH|^~\\&|Pathwell|PWF|SCH|GHH|20260102030405+0000||ACK^S12^ACK|A1|P|2.5.1',
      'MSA|AA|MSG1',
      '',
    ]);
  });

  it('names the field of a refusal in ERR-2 and ERR-3, escaping the explanation', () => {
    const ack = buildAck({
      ack: 'AE',
      header: HEADER,
      controlId: 'A2',
      now: '2026-01-02T03:04:05Z',
      fault: {
        ack: 'AE',
        code: '101',
        location: { segment: 'PID', sequence: 1, field: 3 },
        message: 'PID-3 | required',
      },
    });

    expect(ack).toContain(
      '\rERR||PID^1^3|101^Required field missing^HL70357|E||||PID-3 \\F\\ required\r',
    );
  });

  it('writes MSA-2 even when the answered control id is unknown, and stays parseable', () => {
    const ack = buildAck({ ack: 'AR', header: {}, controlId: 'A3', now: '2026-01-02T03:04:05Z' });

    expect(ack).toContain('\rMSA|AR|\r');
    expect(parseHl7(ack).segments.map((segment) => segment.name)).toEqual(['MSH', 'MSA']);
  });
});
