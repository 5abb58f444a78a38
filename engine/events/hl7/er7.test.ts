import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/app-error.js';
import { splitHl7Envelope } from './batch.js';
import {
  decodeEscapes,
  encodeEscapes,
  firstSegment,
  parseHl7,
  read,
  readField,
  segmentsNamed,
  valueOf,
} from './er7.js';
import { hl7FaultOf } from './hl7-errors.js';

const HEADER = 'MSH|^~\\&|APP|FAC|PW|PWF|20260101120000+0100||ADT^A08^ADT_A01|C1|P|2.5.1';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return { code: isAppError(error) ? error.code : 'not an AppError', fault: hl7FaultOf(error) };
  }
  return undefined;
}

describe('parseHl7', () => {
  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits segments ending in %s', (_name, ending) => {
    const message = parseHl7([HEADER, 'EVN|A08|20260101', 'PID|1||42^^^H^MR'].join(ending));

    expect(message.segments.map((segment) => segment.name)).toEqual(['MSH', 'EVN', 'PID']);
    expect(read(message, firstSegment(message, 'PID'), 3)).toBe('42');
  });

  it('numbers MSH fields as the standard does: MSH-1 is the field separator', () => {
    const message = parseHl7(HEADER);
    const msh = firstSegment(message, 'MSH');

    expect(read(message, msh, 1)).toBe('|');
    expect(read(message, msh, 2)).toBe('^~\\&');
    expect(read(message, msh, 9, 2)).toBe('A08');
    expect(read(message, msh, 10)).toBe('C1');
  });

  it('reads the delimiters from MSH-1 and MSH-2, whatever they are', () => {
    const message = parseHl7(
      'MSH#$*!@#A#B#C#D#20260101##ADT$A08#X1#P#2.5\rPID#1##123$$$X$MR*456$$$Y@Z#',
    );
    const pid = firstSegment(message, 'PID');
    const ids = readField(message, pid, 3);

    expect(message.delimiters).toMatchObject({ field: '#', component: '$', repetition: '*' });
    expect(valueOf(ids, { repetition: 2 })).toBe('456');
    expect(valueOf(ids, { repetition: 2, component: 4, subcomponent: 2 })).toBe('Z');
  });

  it('reads repetitions, components and subcomponents', () => {
    const message = parseHl7(`${HEADER}\rPID|1||||EVERYMAN&&&&Aniston^ADAM^A~Josh^Stan`);
    const names = readField(message, firstSegment(message, 'PID'), 5);

    expect(names.repetitions).toHaveLength(2);
    expect(valueOf(names, { component: 1, subcomponent: 1 })).toBe('EVERYMAN');
    expect(valueOf(names, { component: 1, subcomponent: 5 })).toBe('Aniston');
    expect(valueOf(names, { repetition: 2, component: 2 })).toBe('Stan');
    expect(valueOf(names, { repetition: 3 })).toBe('');
  });

  it('tolerates a byte-order mark, blank lines and a trailing space', () => {
    const message = parseHl7(`\uFEFF${HEADER}\r\n\r\nPID|1\r\n `);

    expect(message.segments.map((segment) => segment.name)).toEqual(['MSH', 'PID']);
  });

  it('refuses a body that does not start with MSH, answering AR', () => {
    expect(refusal(() => parseHl7('PID|1||42'))).toMatchObject({
      code: 'hl7_message_malformed',
      fault: { ack: 'AR', location: { segment: 'MSH' } },
    });
  });

  it.each([
    ['a repeated character', 'MSH|^~\\\\&|A'],
    ['too few characters', 'MSH|^~|A'],
    ['a letter', 'MSH|^~\\A|B'],
  ])('refuses MSH-2 with %s, naming MSH-2', (_why, text) => {
    expect(refusal(() => parseHl7(text))).toMatchObject({
      code: 'hl7_message_malformed',
      fault: { ack: 'AR', code: '102', location: { segment: 'MSH', field: 2 } },
    });
  });

  it('refuses a segment without a valid name', () => {
    expect(refusal(() => parseHl7(`${HEADER}\rpid|1`))?.code).toBe('hl7_message_malformed');
  });

  it('finds every segment of a name in order', () => {
    const message = parseHl7(`${HEADER}\rNTE|1||a\rNTE|2||b`);

    expect(segmentsNamed(message, 'NTE').map((nte) => read(message, nte, 3))).toEqual(['a', 'b']);
  });
});

describe('decodeEscapes', () => {
  const delimiters = parseHl7(HEADER).delimiters;

  it.each([
    ['\\F\\', '|'],
    ['\\S\\', '^'],
    ['\\T\\', '&'],
    ['\\R\\', '~'],
    ['\\E\\', '\\'],
    ['\\X41\\', 'A'],
    ['\\XC3A9\\', 'é'],
    ['a\\X0D\\\\X0A\\b', 'a\r\nb'],
    ['one\\.br\\two', 'one\ntwo'],
    ['\\H\\bold\\N\\', 'bold'],
    ['A\\T\\E', 'A&E'],
    ['unterminated \\F', 'unterminated \\F'],
  ])('decodes %s', (encoded, decoded) => {
    expect(decodeEscapes(encoded, delimiters)).toBe(decoded);
  });

  it('decodes escapes inside split fields, after splitting', () => {
    const message = parseHl7(`${HEADER}\rNTE|1||a\\F\\b\\S\\c^d\\T\\e~f`);
    const note = readField(message, firstSegment(message, 'NTE'), 3);

    expect(valueOf(note)).toBe('a|b^c');
    expect(valueOf(note, { component: 2 })).toBe('d&e');
    expect(valueOf(note, { repetition: 2 })).toBe('f');
  });

  it('round-trips through encodeEscapes', () => {
    const text = 'a|b^c~d&e\\f\ng';

    expect(decodeEscapes(encodeEscapes(text, delimiters), delimiters)).toBe(text);
  });
});

describe('splitHl7Envelope', () => {
  it('returns a single message as it is', () => {
    expect(splitHl7Envelope(HEADER)).toEqual({ isBatch: false, messages: [HEADER] });
  });

  it('splits a batch into its messages and drops the batch frame', () => {
    const batch = [
      'FHS|^~\\&|APP',
      'BHS|^~\\&|APP',
      HEADER,
      'PID|1||1',
      HEADER.replace('C1', 'C2'),
      'PID|1||2',
      'BTS|2',
      'FTS|1',
    ].join('\r');

    const envelope = splitHl7Envelope(batch);

    expect(envelope.isBatch).toBe(true);
    expect(envelope.messages).toEqual([
      `${HEADER}\rPID|1||1`,
      `${HEADER.replace('C1', 'C2')}\rPID|1||2`,
    ]);
  });

  it('refuses a batch without messages', () => {
    expect(refusal(() => splitHl7Envelope('BHS|^~\\&|APP\rBTS|0'))?.code).toBe(
      'hl7_message_malformed',
    );
  });
});
