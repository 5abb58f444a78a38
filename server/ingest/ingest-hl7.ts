import { randomUUID } from 'node:crypto';
import { isAppError } from '../../engine/errors/app-error.js';
import { IGNORE_REASONS } from '../../engine/events/ignore-reasons.js';
import { buildAck } from '../../engine/events/hl7/ack.js';
import { splitHl7Envelope } from '../../engine/events/hl7/batch.js';
import { type Hl7Delimiters, parseHl7 } from '../../engine/events/hl7/er7.js';
import { type AckCode, type Hl7Fault, hl7FaultOf } from '../../engine/events/hl7/hl7-errors.js';
import { type Hl7Header, readHeader } from '../../engine/events/hl7/hl7-header.js';
import {
  hl7LookupsNeeded,
  type OpaqueId,
  planHl7Ingest,
} from '../../engine/events/hl7/plan-hl7.js';
import { readHl7Message } from '../../engine/events/hl7/read-hl7.js';
import { loadKnownAppointments } from '../db/appointments.store.js';
import { findAdmitted } from '../db/inbox.store.js';
import { findPatientIds } from '../db/patients.store.js';
import type { ServerDeps } from '../server-deps.js';
import { applyPlan, type IngestResult } from './apply-plan.js';
import { queueAccepted } from './dispatch-or-queue.js';

/** What taking in one message did, and the acknowledgment it gets. */
export interface Hl7MessageOutcome {
  ack: AckCode;
  /** The ACK or NAK, ER7-encoded, segments ending in CR. */
  text: string;
  result?: IngestResult;
  /** Pathwell's error code for a refusal. */
  code?: string;
}

/** What taking in one body (a message or a batch) did. */
export interface Hl7BodyOutcome {
  messages: Hl7MessageOutcome[];
  /** The answer to send back: one ACK, or a batch of ACKs for a batch. */
  text: string;
  /** Whether every message was accepted (`AA`). */
  isAccepted: boolean;
}

/**
 * Takes in an HL7 v2 body from a source, over HTTP or MLLP: splits a batch, and for each
 * message reads it, writes its patient and event in one transaction, queues the starting and
 * signalling of its runs (they go ahead right after, in arrival order per subject), and
 * acknowledges it (`AA`), or refuses it with a NAK (`AE`/`AR` and an ERR segment naming the
 * field). Messages are handled in order, each on its own: one refused message does not undo
 * the ones before it, and a redelivery (same MSH-10) is acknowledged again and starts nothing.
 *
 * @throws only for failures of Pathwell's own services (database), which the caller answers
 *   as unavailable; input never makes it throw
 */
export async function ingestHl7(
  deps: ServerDeps,
  source: string,
  text: string,
): Promise<Hl7BodyOutcome> {
  let envelope: ReturnType<typeof splitHl7Envelope>;
  try {
    envelope = splitHl7Envelope(text);
  } catch (error) {
    const refused = refusal(deps, error, {});
    return { messages: [refused], text: refused.text, isAccepted: false };
  }

  const messages: Hl7MessageOutcome[] = [];
  for (const message of envelope.messages) {
    messages.push(await ingestMessage(deps, source, message));
  }
  const answer = messages.map((outcome) => outcome.text).join('');
  return {
    messages,
    text: envelope.isBatch ? `BHS|^~\\&|Pathwell\r${answer}BTS|${messages.length}\r` : answer,
    isAccepted: messages.every((outcome) => outcome.ack === 'AA'),
  };
}

async function ingestMessage(
  deps: ServerDeps,
  source: string,
  text: string,
): Promise<Hl7MessageOutcome> {
  let header: Partial<Hl7Header> = {};
  let delimiters: Hl7Delimiters | undefined;
  try {
    const message = parseHl7(text);
    delimiters = message.delimiters;
    header = readHeader(message);
    const receivedAt = new Date().toISOString();
    const reading = readHl7Message(message, { orgTimeZone: deps.config.orgTimeZone, receivedAt });
    // TODO: the keyed hash uses the first PATHWELL_MASTER_KEY, so putting a new key first changes
    // every HL7 patient, appointment and visit key (and bearer-token hashes): reschedules would no
    // longer find their appointment. Until lookups try every key of the ring (or a rotation
    // command re-keys these columns), keep the first master key when rotating and add new ones
    // after it.
    const opaqueId: OpaqueId = (kind, value) =>
      deps.keyring.lookupHash(`hl7:${source}:${kind}:${value}`).slice(0, 40);

    const needed = hl7LookupsNeeded(reading, opaqueId);
    const knownAppointments = await loadKnownAppointments(deps.pool, source, needed.appointmentIds);
    const directory = await findPatientIds(deps.pool, source, needed.patientIds);
    const admitted = await findAdmitted(deps.pool, source, needed.idempotencyKeys);
    const plan = planHl7Ingest(
      reading,
      {
        knownAppointments,
        knownPrescriptions: new Map(),
        directoryPatients: new Set(directory.keys()),
        seenKeys: new Set(admitted.keys()),
      },
      opaqueId,
    );
    const result = await applyPlan(deps, {
      source,
      plan,
      admitted,
      directory,
      receivedAt,
      body: { contentType: 'application/hl7-v2', bytes: Buffer.from(text, 'utf8') },
    });
    queueAccepted(deps, result);

    const note = result.accepted.some((event) => event.duplicate)
      ? 'Redelivery of a message already accepted; nothing new was started'
      : plan.ignored[0] === undefined
        ? undefined
        : IGNORE_REASONS[plan.ignored[0].reason];
    const ack = buildAck({
      ack: 'AA',
      header,
      delimiters,
      controlId: randomUUID(),
      now: receivedAt,
      ...(note === undefined ? {} : { text: note }),
    });
    return { ack: 'AA', text: ack, result };
  } catch (error) {
    return refusal(deps, error, header, delimiters);
  }
}

function refusal(
  deps: ServerDeps,
  error: unknown,
  header: Partial<Hl7Header>,
  delimiters?: Hl7Delimiters,
): Hl7MessageOutcome {
  // Bad input is answered; a failure of Pathwell's own services is not the sender's fault and
  // is raised, so HTTP answers 503 and MLLP a NAK asking for a resend.
  if (!isAppError(error) || error.kind !== 'user') {
    throw error;
  }
  const fault: Hl7Fault = hl7FaultOf(error) ?? { ack: 'AE', code: '102' };
  deps.log.info(
    { code: error.code, ack: fault.ack, field: error.issues?.[0]?.field },
    'HL7 message refused',
  );
  const text = buildAck({
    ack: fault.ack,
    header,
    delimiters,
    controlId: randomUUID(),
    now: new Date().toISOString(),
    fault: { ...fault, message: error.message },
  });
  return { ack: fault.ack, text, code: error.code };
}
