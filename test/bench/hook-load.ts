/**
 * The load generator of `npm run bench:hooks`, run as its own process so that its work does not
 * share the event loop of the server it measures.
 *
 * Usage: `tsx test/bench/hook-load.ts '<json>'` with `{ url, rate, seconds, body, secret,
 * duplicateShare, shape }`. `body` is `fhir` (a new reminder Bundle per request) or `baseline`
 * (a small Basic resource). Prints one JSON line: latency p50/p99 in ms, errors, requests sent,
 * and the distinct event ids the 2xx answers named and how many were redeliveries.
 *
 * Two shapes of the same rate:
 * - `autocannon`: autocannon with 20 connections and `overallRate`. autocannon gives each
 *   connection a quota per second and refills it on a one-second timer, so each connection sends
 *   its share back to back at the start of every second: 200 requests a second arrive as a
 *   20-wide burst that lasts until the quota is spent. Latency is each request's own, from
 *   send to answer (autocannon's coordinated-omission correction is off: with a rate it assumes
 *   a 1 ms interval and adds a sample for every millisecond of a slow answer).
 * - `paced`: one request every 1/rate s, on up to 20 keep-alive sockets, whether or not earlier
 *   answers have come back (an open loop, as many EHRs sending independently). Latency counts
 *   from the moment the request was due, so time spent waiting for a free socket is included.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import autocannon from 'autocannon';
import { reminderBundle } from '../support/fixtures.js';
import { signedHeaders } from '../support/sign.js';

/** What one load step is asked to do. */
export interface LoadStep {
  url: string;
  rate: number;
  seconds: number;
  body: 'fhir' | 'baseline';
  secret: string;
  duplicateShare: number;
  shape: 'autocannon' | 'paced';
}

/** What one load step measured. */
export interface LoadResult {
  p50: number;
  p99: number;
  errors: number;
  sent: number;
  answeredEventIds: string[];
  redeliveries: number;
  /** CPU seconds this generator spent sending and reading (not making bodies). */
  cpuSeconds: number;
}

// Twenty sockets, as a handful of interface engines would keep open.
const CONNECTIONS = 20;

const makeBody = {
  fhir: () =>
    JSON.stringify(reminderBundle({ start: new Date(Date.now() + 3 * 86_400_000) }).bundle),
  baseline: () => JSON.stringify({ resourceType: 'Basic', id: randomUUID() }),
};

/** Chooses each request's body (new, or a redelivery of one sent) and reads each answer. */
class Traffic {
  readonly answered = new Set<string>();
  redeliveries = 0;
  private readonly sent: string[] = [];
  private readonly fresh: string[];
  private readonly step: LoadStep;

  constructor(step: LoadStep) {
    this.step = step;
    // Made before the clock starts: building Bundles is the generator's work, and on two shared
    // cores it would otherwise take turns with the server it measures.
    const count = Math.ceil(step.rate * step.seconds * 1.2) + 50;
    this.fresh = Array.from({ length: count }, () => makeBody[step.body]());
  }

  next(): { body: string; headers: Record<string, string> } {
    const isDuplicate = this.sent.length > 0 && Math.random() < this.step.duplicateShare;
    const body = isDuplicate
      ? (this.sent[Math.floor(Math.random() * this.sent.length)] as string)
      : (this.fresh.pop() ?? makeBody[this.step.body]());
    if (!isDuplicate) {
      this.sent.push(body);
    }
    const headers = {
      'content-type': 'application/fhir+json',
      ...signedHeaders('bench', this.step.secret, body),
    };
    return { body, headers };
  }

  /** The server says which event each answer is about: a redelivery names the original. */
  read(status: number, body: string): void {
    if (status < 200 || status >= 300) {
      return;
    }
    const answer = JSON.parse(body) as {
      eventId?: string;
      accepted?: Array<{ eventId: string; duplicate: boolean }>;
    };
    const events = answer.accepted ?? [
      { eventId: answer.eventId ?? '', duplicate: status === 200 },
    ];
    for (const event of events) {
      this.answered.add(event.eventId);
      this.redeliveries += event.duplicate ? 1 : 0;
    }
  }
}

async function withAutocannon(
  step: LoadStep,
  traffic: Traffic,
): Promise<Omit<LoadResult, 'cpuSeconds'>> {
  const result = await autocannon({
    url: step.url,
    method: 'POST',
    connections: CONNECTIONS,
    overallRate: step.rate,
    duration: step.seconds,
    ignoreCoordinatedOmission: true,
    requests: [
      {
        setupRequest: (request) => ({ ...request, ...traffic.next() }),
        onResponse: (status, body) => traffic.read(status, body),
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    sent: result.requests.sent,
    answeredEventIds: [...traffic.answered],
    redeliveries: traffic.redeliveries,
  };
}

async function paced(step: LoadStep, traffic: Traffic): Promise<Omit<LoadResult, 'cpuSeconds'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const total = Math.round(step.rate * step.seconds);
  const interval = 1000 / step.rate;
  let errors = 0;
  let sent = 0;

  const send = (dueAt: number) =>
    new Promise<void>((resolve) => {
      const { body, headers } = traffic.next();
      const request = http.request(step.url, { method: 'POST', agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          latencies.push(performance.now() - dueAt);
          const status = response.statusCode ?? 0;
          errors += status >= 200 && status < 300 ? 0 : 1;
          traffic.read(status, Buffer.concat(chunks).toString('utf8'));
          resolve();
        });
      });
      request.on('error', () => {
        errors += 1;
        resolve();
      });
      request.end(body);
    });

  // Timers are late by a millisecond or more; each wake-up sends every request already due.
  const inFlight: Array<Promise<void>> = [];
  const startedAt = performance.now();
  while (sent < total) {
    const now = performance.now();
    while (sent < total && startedAt + sent * interval <= now) {
      inFlight.push(send(startedAt + sent * interval));
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (share: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? 0;
  return {
    p50: Math.round(at(0.5)),
    p99: Math.round(at(0.99)),
    errors,
    sent,
    answeredEventIds: [...traffic.answered],
    redeliveries: traffic.redeliveries,
  };
}

async function measured(step: LoadStep): Promise<LoadResult> {
  const traffic = new Traffic(step);
  const before = process.cpuUsage();
  const result =
    step.shape === 'paced' ? await paced(step, traffic) : await withAutocannon(step, traffic);
  const spent = process.cpuUsage(before);
  return { ...result, cpuSeconds: (spent.user + spent.system) / 1e6 };
}

const step = JSON.parse(process.argv[2] ?? '{}') as LoadStep;
process.stdout.write(`${JSON.stringify(await measured(step))}\n`);
