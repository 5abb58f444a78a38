import { readDelimiters, withoutLeadingNoise } from './er7.js';
import { hl7Error } from './hl7-errors.js';

/** What a body holds: one message, or a batch (FHS/BHS … BTS/FTS) split into its messages. */
export interface Hl7Envelope {
  isBatch: boolean;
  /** Each message's text, segments joined by CR. */
  messages: string[];
}

const BATCH_FRAME = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/**
 * Splits a body into its messages. A single message is returned as is; a batch or a file of
 * batches is split at each MSH, and its FHS/BHS/BTS/FTS lines are dropped (Pathwell answers
 * each message on its own).
 *
 * @throws AppError `hl7_message_malformed` when a batch holds no message
 */
export function splitHl7Envelope(text: string): Hl7Envelope {
  const body = withoutLeadingNoise(text);
  const header = body.slice(0, 3);
  if (header !== 'FHS' && header !== 'BHS') {
    return { isBatch: false, messages: [body] };
  }

  // Reading the batch header's delimiters checks them; messages declare their own.
  readDelimiters(body, header);
  const messages: string[][] = [];
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line.trim() === '' || BATCH_FRAME.has(line.slice(0, 3))) {
      continue;
    }
    if (line.startsWith('MSH')) {
      messages.push([line]);
    } else {
      messages.at(-1)?.push(line);
    }
  }
  if (messages.length === 0) {
    throw hl7Error(
      'hl7_message_malformed',
      'The batch holds no message: put one MSH segment at the start of each message.',
      { ack: 'AR', code: '100', location: { segment: header } },
    );
  }
  return { isBatch: true, messages: messages.map((segments) => segments.join('\r')) };
}
