import { DateTime } from 'luxon';
import { encodeEscapes, type Hl7Delimiters } from './er7.js';
import { type AckCode, HL7_ERROR_CODES, type Hl7Fault } from './hl7-errors.js';
import type { Hl7Header } from './hl7-header.js';

/** What an acknowledgment answers. */
export interface AckInput {
  ack: AckCode;
  /** The header of the message answered, as far as it could be read. */
  header: Partial<Hl7Header>;
  /** The delimiters of the message answered, when they could be read. */
  delimiters?: Hl7Delimiters | undefined;
  /** A fresh control id for the ACK itself. */
  controlId: string;
  /** The current instant (ISO 8601), for MSH-7. */
  now: string;
  /** A short note for MSA-3 (never PHI). */
  text?: string;
  /** For `AE`/`AR`: what went wrong and where, for the ERR segment. */
  fault?: Hl7Fault & { message: string };
}

const DEFAULT_DELIMITERS: Hl7Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/**
 * Builds an original-mode HL7 acknowledgment: MSH (sender and receiver swapped, `ACK^<trigger>`),
 * MSA with the code and the answered control id, and for a refusal an ERR segment with the error
 * location (ERR-2), the table-0357 code (ERR-3), severity and the explanation (ERR-8). Segments
 * end in CR, and the answered message's own delimiters and version are used when known.
 */
export function buildAck(input: AckInput): string {
  const delimiters = input.delimiters ?? DEFAULT_DELIMITERS;
  const { field, component, repetition, escape, subcomponent } = delimiters;
  const text = (value: string | undefined) => encodeEscapes(value ?? '', delimiters);
  const { header } = input;
  const stamp = DateTime.fromISO(input.now, { zone: 'UTC' }).toFormat("yyyyMMddHHmmss'+0000'");

  const msh = [
    `MSH${field}${component}${repetition}${escape}${subcomponent}`,
    'Pathwell',
    text(header.receivingFacility),
    text(header.sendingApplication),
    text(header.sendingFacility),
    stamp,
    '',
    ['ACK', text(header.trigger), 'ACK'].join(component),
    text(input.controlId),
    'P',
    /^2\.\d/.test(header.version ?? '') ? text(header.version) : '2.5.1',
  ].join(field);
  // MSA-2 is required, so it is written even when the answered control id could not be read.
  const note = input.text === undefined ? [] : [text(input.text)];
  const msa = ['MSA', input.ack, text(header.controlId), ...note].join(field);
  const segments = [msh, msa];

  if (input.fault !== undefined) {
    const { location, code, message } = input.fault;
    const where =
      location === undefined
        ? ''
        : [
            location.segment,
            location.sequence ?? '',
            location.field ?? '',
            '',
            location.component ?? '',
          ]
            .map(String)
            .join(component);
    const err = [
      'ERR',
      '',
      trimEmpty(where, component),
      [code, text(HL7_ERROR_CODES[code]), 'HL70357'].join(component),
      'E',
      '',
      '',
      '',
      text(message),
    ].join(field);
    segments.push(err);
  }
  return `${segments.join('\r')}\r`;
}

function trimEmpty(value: string, separator: string): string {
  let trimmed = value;
  while (trimmed.endsWith(separator)) {
    trimmed = trimmed.slice(0, -separator.length);
  }
  return trimmed;
}
