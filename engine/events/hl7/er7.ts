import { hl7Error } from './hl7-errors.js';

/** The delimiters of one message, read from its MSH-1 and MSH-2. */
export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** The truncation character of v2.7 and later, when MSH-2 has five characters. */
  truncation?: string;
}

/**
 * One segment as received: its name and its fields, still encoded. `fields[n]` is field `n`
 * (`fields[0]` is the name); in MSH, `fields[1]` is the field separator and `fields[2]` the
 * encoding characters, as the standard numbers them.
 */
export interface Hl7Segment {
  name: string;
  fields: string[];
}

/** A message split into segments, with the delimiters its header declared. */
export interface Hl7Message {
  delimiters: Hl7Delimiters;
  segments: Hl7Segment[];
}

/**
 * One field read: its repetitions, each a list of components, each a list of subcomponents,
 * with escape sequences decoded. Positions are 1-based, as HL7 numbers them.
 */
export interface Hl7Field {
  repetitions: string[][][];
}

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
const HEADER_NAMES = new Set(['MSH', 'BHS', 'FHS']);

/**
 * Reads the ER7 ("pipe") encoding of one HL7 v2 message.
 *
 * Delimiters come from MSH-1 and MSH-2, so any legal choice of them works. Segments may end in
 * CR (the standard's terminator), LF or CRLF; a UTF-8 byte-order mark, blank lines and a
 * trailing space after the last segment are tolerated, as interface engines and editors add them.
 *
 * @throws AppError `hl7_message_malformed` (answered `AR`) when there is no MSH segment first,
 *   the delimiters are ambiguous, or a segment has no valid name
 */
export function parseHl7(text: string): Hl7Message {
  const body = withoutLeadingNoise(text);
  const delimiters = readDelimiters(body, 'MSH');
  const segments: Hl7Segment[] = [];

  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') {
      continue;
    }
    segments.push(splitSegment(line, delimiters, segments.length + 1));
  }
  return { delimiters, segments };
}

/**
 * Reads the delimiters a header segment (MSH, or a batch's FHS/BHS) declares.
 *
 * @param text - text starting with the header segment
 * @param expected - the header name the text must start with
 */
export function readDelimiters(text: string, expected: 'MSH' | 'BHS' | 'FHS'): Hl7Delimiters {
  if (!text.startsWith(expected)) {
    throw hl7Error(
      'hl7_message_malformed',
      `An HL7 v2 message must start with an ${expected} segment; this one starts otherwise.`,
      { ack: 'AR', code: '100', location: { segment: expected } },
    );
  }
  const field = text.charAt(3);
  const end = text.indexOf(field, 4);
  const encoding = end === -1 ? '' : text.slice(4, end);
  const characters = [field, ...encoding];
  const isUsable = (character: string) => character !== '' && !/[A-Za-z0-9\s]/.test(character);
  const isValid =
    (encoding.length === 4 || encoding.length === 5) &&
    characters.every(isUsable) &&
    new Set(characters).size === characters.length;
  if (!isValid) {
    throw hl7Error(
      'hl7_message_malformed',
      `${expected}-2 must hold four (or five) distinct encoding characters such as "^~\\&" after ` +
        `the field separator; "${encoding.slice(0, 8)}" repeats one or is incomplete.`,
      { ack: 'AR', code: '102', location: { segment: expected, sequence: 1, field: 2 } },
    );
  }
  const [component = '^', repetition = '~', escape = '\\', subcomponent = '&', truncation] =
    encoding;
  return {
    field,
    component,
    repetition,
    escape,
    subcomponent,
    ...(truncation === undefined ? {} : { truncation }),
  };
}

function splitSegment(line: string, delimiters: Hl7Delimiters, position: number): Hl7Segment {
  const name = line.slice(0, 3);
  if (!SEGMENT_NAME.test(name) || (line.length > 3 && line.charAt(3) !== delimiters.field)) {
    throw hl7Error(
      'hl7_message_malformed',
      `Segment ${position} has no valid name: a segment starts with three capital letters or ` +
        'digits followed by the field separator.',
      { ack: 'AR', code: '100', location: { segment: name.replace(/[^A-Z0-9]/g, '') || '?' } },
    );
  }
  const parts = line.split(delimiters.field);
  if (!HEADER_NAMES.has(name)) {
    return { name, fields: parts };
  }
  // In a header, the field separator is itself field 1, so the numbering shifts by one.
  return { name, fields: [name, delimiters.field, ...parts.slice(1)] };
}

/**
 * The text without what senders put before the first segment: a UTF-8 byte-order mark,
 * whitespace and NUL padding.
 */
export function withoutLeadingNoise(text: string): string {
  let start = 0;
  while (
    start < text.length &&
    (/[\s\uFEFF]/.test(text.charAt(start)) || text.charCodeAt(start) === 0)
  ) {
    start += 1;
  }
  return text.slice(start);
}

/** The segments of a message with a given name, in order. */
export function segmentsNamed(message: Hl7Message, name: string): Hl7Segment[] {
  return message.segments.filter((segment) => segment.name === name);
}

/** The first segment with a given name, if any. */
export function firstSegment(message: Hl7Message, name: string): Hl7Segment | undefined {
  return message.segments.find((segment) => segment.name === name);
}

/** Field `position` of a segment, split and decoded. An absent field has no repetitions. */
export function readField(
  message: Hl7Message,
  segment: Hl7Segment | undefined,
  position: number,
): Hl7Field {
  const raw = segment?.fields[position] ?? '';
  if (raw === '') {
    return { repetitions: [] };
  }
  const { delimiters } = message;
  if (segment !== undefined && HEADER_NAMES.has(segment.name) && position <= 2) {
    return { repetitions: [[[raw]]] };
  }
  return {
    repetitions: raw
      .split(delimiters.repetition)
      .map((repetition) =>
        repetition
          .split(delimiters.component)
          .map((component) =>
            component
              .split(delimiters.subcomponent)
              .map((value) => decodeEscapes(value, delimiters)),
          ),
      ),
  };
}

/**
 * One value of a field: repetition, component and subcomponent are 1-based and default to the
 * first. Absent parts read as the empty string, as HL7 treats them.
 */
export function valueOf(
  field: Hl7Field,
  at: { repetition?: number; component?: number; subcomponent?: number } = {},
): string {
  const { repetition = 1, component = 1, subcomponent = 1 } = at;
  return field.repetitions[repetition - 1]?.[component - 1]?.[subcomponent - 1] ?? '';
}

/** A field's value at a component of its first repetition: `PID-3.1` is `read(pid, 3, 1)`. */
export function read(
  message: Hl7Message,
  segment: Hl7Segment | undefined,
  position: number,
  component = 1,
): string {
  return valueOf(readField(message, segment, position), { component }).trim();
}

/**
 * Decodes HL7 escape sequences in one subcomponent: `\F\ \S\ \T\ \R\ \E\` (the delimiters),
 * `\Xhh…\` (bytes, read as UTF-8), `\.br\` (a line break); highlighting and other formatting or
 * character-set escapes are dropped, and an unterminated escape is kept as written.
 */
export function decodeEscapes(value: string, delimiters: Hl7Delimiters): string {
  const { escape } = delimiters;
  if (!value.includes(escape)) {
    return value;
  }
  let decoded = '';
  let index = 0;
  while (index < value.length) {
    const start = value.indexOf(escape, index);
    const end = start === -1 ? -1 : value.indexOf(escape, start + 1);
    if (start === -1 || end === -1) {
      decoded += value.slice(index);
      break;
    }
    decoded += value.slice(index, start) + expand(value.slice(start + 1, end), delimiters);
    index = end + 1;
  }
  return decoded;
}

function expand(sequence: string, delimiters: Hl7Delimiters): string {
  switch (sequence) {
    case 'F':
      return delimiters.field;
    case 'S':
      return delimiters.component;
    case 'T':
      return delimiters.subcomponent;
    case 'R':
      return delimiters.repetition;
    case 'E':
      return delimiters.escape;
    case 'P':
      return delimiters.truncation ?? '';
    case '.br':
      return '\n';
    default:
      break;
  }
  if (/^X([0-9A-Fa-f]{2})+$/.test(sequence)) {
    const bytes = new Uint8Array(
      (sequence.slice(1).match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16)),
    );
    return new TextDecoder('utf-8').decode(bytes);
  }
  // \H\ \N\ (highlighting), \.sp\ and the other formatting commands, \C…\ and \M…\ (character
  // sets) and \Z…\ (locally defined) carry no text a journey can use.
  return '';
}

/**
 * Escapes text for an HL7 field, the inverse of {@link decodeEscapes} for the delimiters and
 * line breaks (used when Pathwell writes an ACK).
 */
export function encodeEscapes(value: string, delimiters: Hl7Delimiters): string {
  const { escape, field, component, repetition, subcomponent } = delimiters;
  let encoded = '';
  for (const character of value.replace(/\r\n/g, '\n')) {
    if (character === escape) {
      encoded += `${escape}E${escape}`;
    } else if (character === field) {
      encoded += `${escape}F${escape}`;
    } else if (character === component) {
      encoded += `${escape}S${escape}`;
    } else if (character === repetition) {
      encoded += `${escape}R${escape}`;
    } else if (character === subcomponent) {
      encoded += `${escape}T${escape}`;
    } else if (character === '\r' || character === '\n') {
      encoded += `${escape}.br${escape}`;
    } else {
      encoded += character;
    }
  }
  return encoded;
}
