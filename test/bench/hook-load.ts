/**
 * The load generator of `npm run bench:hooks`, run as its own process so that autocannon's work
 * does not share the event loop of the server it measures.
 *
 * Usage: `tsx test/bench/hook-load.ts '<json>'` with `{ url, rate, seconds, body, secret,
 * duplicateShare }`, where `body` is `fhir` (a new reminder Bundle per request) or `baseline`
 * (a small Basic resource). Prints one JSON line: latency p50/p99 in ms, errors, requests sent,
 * and the distinct event ids the 2xx answers named and how many were redeliveries.
 */
import { randomUUID } from 'node:crypto';
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
}

/** What one load step measured. */
export interface LoadResult {
  p50: number;
  p99: number;
  errors: number;
  sent: number;
  answeredEventIds: string[];
  redeliveries: number;
}

// Twenty sockets, as a handful of interface engines would keep open; each waits for its answer.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

const makeBody = {
  fhir: () =>
    JSON.stringify(reminderBundle({ start: new Date(Date.now() + 3 * 86_400_000) }).bundle),
  baseline: () => JSON.stringify({ resourceType: 'Basic', id: randomUUID() }),
};

async function run(step: LoadStep): Promise<LoadResult> {
  // Made before the clock starts: building Bundles is the generator's work, and on two shared
  // cores it would otherwise take turns with the server it measures.
  const fresh = Array.from({ length: Math.ceil(step.rate * step.seconds * 1.2) + 50 }, () =>
    makeBody[step.body](),
  );
  const sent: string[] = [];
  const answered = new Set<string>();
  let redeliveries = 0;

  const result = await autocannon({
    url: step.url,
    method: 'POST',
    connections: CONNECTIONS,
    overallRate: step.rate,
    duration: step.seconds,
    ignoreCoordinatedOmission: true,
    requests: [
      {
        setupRequest: (request) => {
          const isDuplicate = sent.length > 0 && Math.random() < step.duplicateShare;
          const body = isDuplicate
            ? (sent[Math.floor(Math.random() * sent.length)] as string)
            : (fresh.pop() ?? makeBody[step.body]());
          if (!isDuplicate) {
            sent.push(body);
          }
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/fhir+json',
              ...signedHeaders('bench', step.secret, body),
            },
          };
        },
        // The server says which event each answer is about: a redelivery names the original.
        onResponse: (status, body) => {
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
            answered.add(event.eventId);
            redeliveries += event.duplicate ? 1 : 0;
          }
        },
      },
    ],
  });

  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    sent: result.requests.sent,
    answeredEventIds: [...answered],
    redeliveries,
  };
}

const step = JSON.parse(process.argv[2] ?? '{}') as LoadStep;
process.stdout.write(`${JSON.stringify(await run(step))}\n`);
