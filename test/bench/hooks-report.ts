// The report of `npm run bench:hooks`: its latency and CPU tables in Markdown, and whether
// exactly one run started per unique event.
import os from 'node:os';
import type { CpuSeconds } from './cpu-account.js';
import type { LoadStep } from './hook-load.js';

/** One rate of one load shape: the baseline's and the webhook's figures. */
export interface Result {
  shape: LoadStep['shape'];
  rate: number;
  baseline: Measured;
  hook: Measured;
}

/** What one load step measured. */
export interface Measured {
  /** CPU seconds over the step and until its runs have started (lagging dispatch counts). */
  cpu: CpuSeconds & { generator: number; wallSeconds: number };
  p50: number;
  p99: number;
  errors: number;
  sent: number;
  uniqueAnswered: number;
}

/** A Markdown table row. */
function row(cells: ReadonlyArray<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

const yesNo = (isTrue: boolean) => (isTrue ? 'yes' : 'no');

function latencyTable(results: Result[], seconds: number): string[] {
  const lines = [
    row(
      ['load', 'offered', 'endpoint', 'achieved/s', 'p50 ms', 'p99 ms', 'errors'].concat([
        'p99 / baseline',
        'p99 < 50 ms',
      ]),
    ),
    row(Array(9).fill('---')),
  ];
  for (const { shape, rate, baseline, hook } of results) {
    const ratio = hook.p99 / Math.max(baseline.p99, 1);
    const within = `${ratio.toFixed(2)} (${ratio <= 1.2 ? 'within' : 'over'} 1.2)`;
    for (const [name, measured, versus] of [
      ['baseline', baseline, ''],
      ['/api/hooks/fhir', hook, within],
    ] as const) {
      const achieved = (measured.sent / seconds).toFixed(0);
      const { p50, p99, errors } = measured;
      lines.push(
        row([shape, `${rate}/s`, name, achieved, p50, p99, errors, versus, yesNo(p99 < 50)]),
      );
    }
  }
  return lines;
}

function cpuTable(results: Result[]): string[] {
  const lines = [
    row(['load', 'offered', 'endpoint', 'server', 'Temporal', 'PostgreSQL', 'generator', 'cores']),
    row(Array(8).fill('---')),
  ];
  for (const { shape, rate, baseline, hook } of results) {
    for (const [name, measured] of [
      ['baseline', baseline],
      ['/api/hooks/fhir', hook],
    ] as const) {
      const { server, temporal, postgres, generator, wallSeconds } = measured.cpu;
      const cores = (server + temporal + postgres + generator) / wallSeconds;
      const seconds = [server, temporal, postgres, generator].map((value) => value.toFixed(1));
      lines.push(row([shape, `${rate}/s`, name, ...seconds, cores.toFixed(2)]));
    }
  }
  return lines;
}

/** Prints the bench's tables and its run-per-event check. */
export function report(
  results: Result[],
  totals: {
    executions: string;
    doubled?: string;
    unrun?: string;
    events?: string;
    runs?: string;
    pending?: string;
    uniqueAnswered: number;
    baselineStarts: number;
  },
  setting: { seconds: number; duplicateShare: number; startLoad: string },
): void {
  const loadNow = os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  const isExact =
    Number(totals.doubled) === 0 &&
    Number(totals.unrun) === 0 &&
    totals.uniqueAnswered <= Number(totals.events) &&
    Number(totals.runs) === Number(totals.events);
  const lines = [
    `Webhook acknowledgement, ${setting.seconds} s per rate, ${setting.duplicateShare * 100}% redeliveries,` +
      ` ${os.cpus().length} cores, load average at the start ${setting.startLoad}`,
    '',
    ...latencyTable(results, setting.seconds),
    '',
    'CPU seconds over each step, until its runs have started, and 2 s more: server (this' +
      ' process: routes and dispatch), Temporal dev server, PostgreSQL backends, load' +
      ' generator; cores = their sum over the wall time (which includes the generator starting)',
    '',
    ...cpuTable(results),
    '',
    `Distinct FHIR events named in 2xx answers: ${totals.uniqueAnswered}; appointment.booked` +
      ` events in the inbox: ${totals.events}; runs started: ${totals.runs};` +
      ` still pending: ${totals.pending}`,
    `Subjects with more than one event: ${totals.doubled};` +
      ` events without exactly one run: ${totals.unrun}`,
    `Exactly one run per unique event: ${isExact ? 'yes' : 'NO'}`,
    '(events can exceed the answers counted: requests in flight when a load step ends are' +
      ` served but not counted; load average at the end: ${loadNow})`,
    `Journey workflow executions Temporal holds: ${totals.executions};` +
      ` baseline workflow starts: ${totals.baselineStarts}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
