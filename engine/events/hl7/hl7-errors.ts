import { AppError, type Issue } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/codes.js';

/**
 * HL7 v2 acknowledgment codes (table 0008, original mode): `AA` accepted, `AE` the content broke
 * a rule (fix the field, then resend), `AR` the message could not be read or is not one Pathwell
 * takes in (resending it unchanged cannot help).
 */
export type AckCode = 'AA' | 'AE' | 'AR';

/** HL7 error codes (table 0357) that Pathwell answers with. */
export const HL7_ERROR_CODES = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '203': 'Unsupported version id',
  '207': 'Application internal error',
} as const;

/** An HL7 error code Pathwell answers with. */
export type Hl7ErrorCode = keyof typeof HL7_ERROR_CODES;

/** Where in a message a problem is: an ERR-2 error location (segment, sequence, field, …). */
export interface Hl7Location {
  segment: string;
  /** 1 for the first segment of that name. */
  sequence?: number;
  field?: number;
  component?: number;
}

/** What a NAK says about a refused message; carried in an AppError's `details.hl7`. */
export interface Hl7Fault {
  ack: Exclude<AckCode, 'AA'>;
  code: Hl7ErrorCode;
  location?: Hl7Location;
}

/**
 * An AppError that knows how to be answered in HL7: the ACK code, the table-0357 code and the
 * location of the offending field. Its `issues[0].field` is the same location written the way
 * people name HL7 fields (`PID-3`, `TQ1-7`).
 *
 * @param code - Pathwell's error code
 * @param message - what is wrong and what to do; never PHI (it reaches logs and the sender)
 * @param fault - the HL7 side of the refusal
 */
export function hl7Error(code: ErrorCode, message: string, fault: Hl7Fault): AppError {
  const field = fault.location === undefined ? undefined : fieldName(fault.location);
  const issue: Issue = { code, message, ...(field === undefined ? {} : { field }) };
  return new AppError(code, message, { issues: [issue], details: { hl7: fault } });
}

/** The HL7 side of a refusal, if an error carries one. */
export function hl7FaultOf(error: unknown): Hl7Fault | undefined {
  const details = (error as { details?: { hl7?: Hl7Fault } } | null)?.details;
  return details?.hl7;
}

/** A location as people write it: `PID-3`, `PID-3.1`, or just `MSH`. */
export function fieldName(location: Hl7Location): string {
  if (location.field === undefined) {
    return location.segment;
  }
  const component = location.component === undefined ? '' : `.${location.component}`;
  return `${location.segment}-${location.field}${component}`;
}
