import { firstSegment, type Hl7Message, read } from './er7.js';
import { offsetMinutesOf } from './hl7-date-time.js';
import { hl7Error } from './hl7-errors.js';

/** What a message's MSH says about it. */
export interface Hl7Header {
  /** MSH-9.1, e.g. `SIU`. */
  type: string;
  /** MSH-9.2, e.g. `S12`. */
  trigger: string;
  /** MSH-10: the sender's id of this message, unique per sending application. */
  controlId: string;
  /** MSH-12, e.g. `2.5.1`. */
  version: string;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** The offset of MSH-7 in minutes: where the sender's clock is, for values without one. */
  senderOffsetMinutes?: number | undefined;
}

/**
 * Reads the message header, leniently: only what an acknowledgment needs. Use
 * {@link assertHeaderComplete} before acting on the message.
 */
export function readHeader(message: Hl7Message): Hl7Header {
  const msh = firstSegment(message, 'MSH');
  return {
    type: read(message, msh, 9, 1).toUpperCase(),
    trigger: read(message, msh, 9, 2).toUpperCase(),
    controlId: read(message, msh, 10),
    version: read(message, msh, 12),
    sendingApplication: read(message, msh, 3),
    sendingFacility: read(message, msh, 4),
    receivingApplication: read(message, msh, 5),
    receivingFacility: read(message, msh, 6),
    senderOffsetMinutes: offsetMinutesOf(read(message, msh, 7)),
  };
}

/**
 * Checks that a header names its message type, control id and an HL7 v2 version.
 *
 * @throws AppError `hl7_field_invalid` (MSH-9 and MSH-12 answered `AR`, MSH-10 `AE`)
 */
export function assertHeaderComplete(header: Hl7Header): void {
  if (header.type === '' || header.trigger === '') {
    throw hl7Error(
      'hl7_field_invalid',
      'MSH-9 (message type) must name the message code and trigger event, e.g. "SIU^S12".',
      { ack: 'AR', code: '101', location: { segment: 'MSH', sequence: 1, field: 9 } },
    );
  }
  if (header.controlId === '') {
    throw hl7Error(
      'hl7_field_invalid',
      'MSH-10 (message control id) is required: Pathwell recognises redeliveries by it.',
      { ack: 'AE', code: '101', location: { segment: 'MSH', sequence: 1, field: 10 } },
    );
  }
  if (!/^2\.\d/.test(header.version)) {
    throw hl7Error(
      'hl7_field_invalid',
      `MSH-12 (version id) must be an HL7 v2 version such as "2.5.1"; got "${header.version.slice(0, 12)}".`,
      { ack: 'AR', code: '203', location: { segment: 'MSH', sequence: 1, field: 12 } },
    );
  }
}
