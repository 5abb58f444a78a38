import { createPublicKey } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import request from 'supertest';
import type { JourneyDocument } from '../../engine/journey/journey.schema.js';
import { reminderBundle } from './fixtures.js';
import type { Harness } from './harness.js';
import { startedRuns } from './runs.js';

const HOUR = 3_600_000;

/** What a test journey's one send step looks like. */
export interface TestSend {
  purpose?: 'treatment' | 'operations' | 'marketing';
  protection?: 'auto' | 'tls_required' | 'portal' | 'pgp_preferred';
  sensitivityFloor?: 'S0' | 'S1' | 'S2' | 'S3';
  campaign?: { program: string; sponsor?: string };
  thirdPartyRemuneration?: boolean;
}

const TREATMENT_TEXT =
  'Hello {{ patient.firstName }}, your visit is on {{ appointment.start | local_date }} at {{ appointment.location }}.';
const MARKETING_TEXT =
  'Hello {{ patient.firstName }}, join our wellness programme. Unsubscribe: {{ links.unsubscribe }} — {{ organisation.postalAddress }}';

/**
 * A journey of one send, 24 hours before the appointment (at once when that has passed, so a
 * start two hours ahead sends immediately and a start just past 24 hours waits a little).
 */
export function sendJourney(name: string, send: TestSend = {}): JourneyDocument {
  const isMarketing = send.purpose === 'marketing';
  const text = isMarketing ? MARKETING_TEXT : TREATMENT_TEXT;
  return {
    schemaVersion: 1,
    name,
    description: 'A compliance test journey',
    nodes: [
      {
        id: 'booked',
        type: 'trigger.event',
        position: { x: 0, y: 0 },
        data: { eventType: 'appointment.booked' },
      },
      {
        id: 'day-before',
        type: 'wait.until',
        position: { x: 0, y: 100 },
        data: {
          anchor: 'appointment.start',
          offset: { amount: 24, unit: 'hours', direction: 'before' },
          ifPassed: 'continue',
        },
      },
      {
        id: 'message',
        type: 'send.email',
        position: { x: 0, y: 200 },
        data: {
          purpose: send.purpose ?? 'treatment',
          protection: send.protection ?? 'auto',
          ...(send.campaign === undefined ? {} : { campaign: send.campaign }),
          ...(send.thirdPartyRemuneration === undefined
            ? {}
            : { thirdPartyRemuneration: send.thirdPartyRemuneration }),
          template: {
            subject: isMarketing ? 'News from your care team' : 'A message from your care team',
            text,
            html: `<p>${text}</p>`,
            variables: isMarketing
              ? ['patient.firstName', 'links.unsubscribe', 'organisation.postalAddress']
              : ['patient.firstName', 'appointment.start', 'appointment.location'],
            ...(send.sensitivityFloor === undefined
              ? {}
              : { sensitivityFloor: send.sensitivityFloor }),
          },
        },
      },
      { id: 'done', type: 'exit', position: { x: 0, y: 300 }, data: { outcome: 'completed' } },
    ],
    edges: [
      { id: 'e1', source: 'booked', sourceHandle: 'out', target: 'day-before' },
      { id: 'e2', source: 'day-before', sourceHandle: 'out', target: 'message' },
      { id: 'e3', source: 'message', sourceHandle: 'out', target: 'done' },
    ],
  };
}

/** Posts a patient and a booked appointment; returns the run and Pathwell's patient id. */
export async function postAppointment(
  h: Harness,
  options: { email?: string; startInMs?: number } = {},
): Promise<{ workflowId: string; patientId: string; appointmentId: string }> {
  const {
    bundle,
    patientId: sourceId,
    appointmentId,
  } = reminderBundle({
    start: new Date(Date.now() + (options.startInMs ?? 2 * HOUR)),
    ...(options.email === undefined ? {} : { email: options.email }),
  });
  const response = await request(h.app)
    .post('/api/hooks/fhir')
    .set('content-type', 'application/fhir+json')
    .send(JSON.stringify(bundle));
  if (response.status !== 202) {
    throw new Error(`The webhook answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  const patient = await h.pool.query<{ id: string }>(
    'SELECT id FROM patients WHERE source_id = $1',
    [sourceId],
  );
  return {
    workflowId: (await startedRuns(h, response.body))[0] as string,
    patientId: patient.rows[0]?.id as string,
    appointmentId,
  };
}

/** Posts only the patient (so consent records can be made before the appointment arrives). */
export async function postPatientFirst(h: Harness, email: string) {
  const { bundle, patientId: sourceId } = reminderBundle({
    start: new Date(Date.now() + 2 * HOUR),
    email,
  });
  const patientOnly = { ...bundle, entry: bundle.entry?.slice(0, 1) };
  await request(h.app)
    .post('/api/hooks/fhir')
    .set('content-type', 'application/fhir+json')
    .send(JSON.stringify(patientOnly));
  const patient = await h.pool.query<{ id: string }>(
    'SELECT id FROM patients WHERE source_id = $1',
    [sourceId],
  );
  return { patientId: patient.rows[0]?.id as string, bundle };
}

/** Posts the appointment part of a bundle made by {@link postPatientFirst}. */
export async function postBundle(h: Harness, bundle: unknown): Promise<string> {
  const response = await request(h.app)
    .post('/api/hooks/fhir')
    .set('content-type', 'application/fhir+json')
    .send(JSON.stringify(bundle));
  return (await startedRuns(h, response.body))[0] as string;
}

/** The audit rows of a run, oldest first. */
export async function auditOf(h: Harness, workflowId: string) {
  const result = await h.pool.query<{
    decision: string | null;
    reason: string | null;
    method: string | null;
    purpose: string | null;
    details: Record<string, unknown>;
  }>(
    'SELECT decision, reason, method, purpose, details FROM audit_events WHERE workflow_id = $1 ORDER BY seq',
    [workflowId],
  );
  return result.rows;
}

/** An authorization document that passes every check, for `program`. */
export function validAuthorization(patientId: string, program: string) {
  return {
    patientId,
    description: 'Name and email address',
    disclosedBy: 'Pathwell Demo Clinic',
    recipient: 'Pathwell Demo Clinic marketing office',
    programs: [program],
    expiresOn: '2099-12-31',
    signedAt: new Date(Date.now() - 86_400_000).toISOString(),
    remunerationDisclosed: false,
    statements: { rightToRevoke: true, conditioning: true, redisclosure: true },
  };
}

/** Verifies a received message's DKIM signature against the harness's key. */
export async function verifyDkim(h: Harness, raw: Buffer) {
  const publicKey = createPublicKey(h.activityDeps.dkim.privateKey)
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
  const expected = `${h.activityDeps.dkim.keySelector}._domainkey.${h.activityDeps.dkim.domainName}`;
  return dkimVerify(raw, {
    resolver: async (name: string, type: string) => {
      if (type === 'TXT' && name === expected) {
        return [[`v=DKIM1; k=rsa; p=${publicKey}`]];
      }
      const error = new Error('not found') as Error & { code: string };
      error.code = 'ENOTFOUND';
      throw error;
    },
  });
}

/** A header of a raw message, unfolded (mailparser turns List-* headers into objects). */
export function rawHeader(raw: Buffer, name: string): string | undefined {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded
    .split(/\r?\n/)
    .find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The header names a message's DKIM signature covers (its `h=` tag), lower-cased. */
export function dkimSignedHeaders(raw: Buffer): string[] {
  const signature = rawHeader(raw, 'DKIM-Signature') ?? '';
  const tag = /(?:^|;)\s*h=([^;]+)/.exec(signature)?.[1] ?? '';
  return tag.split(':').map((name) => name.trim().toLowerCase());
}
