import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';

/** Options of {@link derivedSiu}. */
export interface DerivedSiuOptions {
  trigger: 'S12' | 'S13' | 'S14' | 'S15' | 'S17' | 'S26';
  appointmentId: string;
  start: Date;
  minutes?: number;
  /** An email for PID-13 (the fixture's patient has none). */
  email?: string;
  /** The patient's MRN (PID-3.1); the fixture's by default. */
  mrn?: string;
  controlId?: string;
}

/**
 * An SIU message derived from the fixture SIU-S12-01.hl7 for tests that run a journey: the
 * trigger, control id (MSH-10), appointment ids (SCH-1/2) and times (TQ1-7/8) replaced, an
 * email put in PID-13, and the fixture's record of death (PID-29/30) cleared, since a deceased
 * patient is never messaged. Segments end in CR.
 */
export function derivedSiu(options: DerivedSiuOptions): string {
  const text = fs.readFileSync(path.join(FIXTURES_DIR, 'hl7v2/SIU-S12-01.hl7'), 'utf8');
  const end = new Date(options.start.getTime() + (options.minutes ?? 50) * 60_000);
  const segments = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  return `${segments
    .map((line) => {
      const fields = line.split('|');
      switch (fields[0]) {
        case 'MSH':
          fields[8] = `SIU^${options.trigger}^SIU_${options.trigger}`;
          fields[9] = options.controlId ?? `T${randomUUID().slice(0, 12)}`;
          break;
        case 'SCH':
          fields[1] = `P${options.appointmentId}`;
          fields[2] = options.appointmentId;
          break;
        case 'TQ1':
          fields[7] = dtm(options.start);
          fields[8] = dtm(end);
          break;
        case 'PID':
          if (options.mrn !== undefined) {
            fields[3] = `${options.mrn}^^^TEST^MR`;
          }
          fields[13] = options.email === undefined ? '' : `^NET^Internet^${options.email}`;
          fields[29] = '';
          fields[30] = 'N';
          break;
        default:
          break;
      }
      return fields.join('|');
    })
    .join('\r')}\r`;
}

/** A DTM with a +0000 offset. */
export function dtm(at: Date): string {
  return `${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}
