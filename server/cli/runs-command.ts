import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { RunPage, RunSummary } from '../runs/list-runs.js';
import type { RunTimeline } from '../runs/run-timeline.js';
import { type ApiClient, apiClient } from './api-client.js';

interface FilterOptions {
  journey?: string;
  journeyVersion?: string;
  failureType?: string;
  failedNode?: string;
  patient?: string;
  since?: string;
  until?: string;
}

interface ReplayJob {
  state: 'running' | 'completed';
  progress: { total: number; pending: number; replayed: number; skipped: number; failed: number };
  report: Array<{ workflowId: string; state: string; code: string | null }>;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `pathwell runs list|show|cancel|replay`: the runs API from a terminal. It talks to a running
 * server over HTTP (`--url`), so it goes through the same checks as any other client, and
 * prints ids and codes only.
 */
export function registerRunsCommand(program: Command): void {
  const runs = program
    .command('runs')
    .description('List, inspect, cancel and replay journey runs (through a running server)')
    .option('--url <url>', 'the Pathwell server', `http://127.0.0.1:${process.env.PORT ?? 8080}`)
    .option('--token <token>', 'an API token with the operator role (or PATHWELL_API_TOKEN)');
  const client = () => {
    const options = runs.opts<{ url: string; token?: string }>();
    return apiClient(options.url, options.token ?? process.env.PATHWELL_API_TOKEN);
  };

  withFilters(runs.command('list').description('Runs, newest first'))
    .option('--status <status>', 'running, completed, failed or cancelled')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (options: FilterOptions & { status?: string; limit: string; json?: boolean }) => {
      const page = await client().get<RunPage>('/api/runs', {
        ...filterQuery(options),
        status: options.status,
        pageSize: options.limit,
      });
      if (options.json === true) {
        out(JSON.stringify(page.runs, null, 2));
        return;
      }
      page.runs.forEach((run) => out(runLine(run)));
      out(`${page.runs.length} run(s)${page.nextPageToken === null ? '' : ', more with --limit'}`);
    });

  runs
    .command('show <id>')
    .description("A run's timeline")
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const timeline = await client().get<RunTimeline>(`/api/runs/${encodeURIComponent(id)}`);
      if (options.json === true) {
        out(JSON.stringify(timeline, null, 2));
        return;
      }
      printTimeline(timeline);
    });

  runs
    .command('cancel <id>')
    .description('Cancel a running run')
    .action(async (id: string) => {
      await client().post(`/api/runs/${encodeURIComponent(id)}/cancel`);
      out(`${id}: cancelling`);
    });

  withFilters(
    runs
      .command('replay [id]')
      .description('Replay a failed run, or (without an id) every failed run the filters match'),
  )
    .option('--newest', 'on the newest published version (steps mapped by node id)')
    .option('--yes', 'bulk: replay them (without it, only a dry run is shown)')
    .option('--pace <ms>', 'bulk: pause between replays', '500')
    .action(
      async (
        id: string | undefined,
        options: FilterOptions & { newest?: boolean; yes?: boolean; pace: string },
      ) => {
        const on = options.newest === true ? 'newest' : 'own';
        if (id !== undefined) {
          const started = await client().post<{ mode: string; fromStep: string | null }>(
            `/api/runs/${encodeURIComponent(id)}/replay`,
            { version: on },
          );
          out(`${id}: replaying ${started.mode} at ${started.fromStep ?? 'entry'}`);
          return;
        }
        await replayInBulk(client(), options, on);
      },
    );
}

function withFilters(command: Command): Command {
  return command
    .option('--journey <id>', 'journey id')
    .option('--journey-version <id>', 'version id')
    .option('--failure-type <type>', 'an error code, activity_timeout or nondeterminism')
    .option('--failed-node <id>', 'the step a run failed at')
    .option('--patient <id>', "Pathwell's patient id")
    .option('--since <instant>', 'started at or after (ISO 8601 with offset)')
    .option('--until <instant>', 'started before (ISO 8601 with offset)');
}

function filterQuery(options: FilterOptions): Record<string, string | undefined> {
  return {
    journeyId: options.journey,
    versionId: options.journeyVersion,
    failureType: options.failureType,
    failedNode: options.failedNode,
    patientId: options.patient,
    startedFrom: options.since,
    startedTo: options.until,
  };
}

async function replayInBulk(
  client: ApiClient,
  options: FilterOptions & { yes?: boolean; pace: string },
  on: 'own' | 'newest',
): Promise<void> {
  const filter = Object.fromEntries(
    Object.entries(filterQuery(options)).filter((entry) => entry[1] !== undefined),
  );
  const dryRun = await client.post<{ total: number; runs: RunSummary[] }>('/api/runs/replay', {
    filter,
    version: on,
  });
  dryRun.runs.forEach((run) => out(runLine(run)));
  out(`${dryRun.total} failed run(s) match.`);
  if (options.yes !== true || dryRun.total === 0) {
    out(dryRun.total === 0 ? 'Nothing to replay.' : 'Dry run: add --yes to replay them.');
    return;
  }
  const { jobId, total } = await client.post<{ jobId: string; total: number }>('/api/runs/replay', {
    filter,
    version: on,
    dryRun: false,
    paceMs: Number(options.pace),
  });
  const bar = new SingleBar({
    format:
      'Replaying [{bar}] {value}/{total} | replayed {replayed} skipped {skipped} failed {failed}',
    stream: process.stderr,
    // Also when piped (CI logs, scripts): a line per second instead of a redrawn bar.
    noTTYOutput: true,
    notTTYSchedule: 1_000,
  });
  bar.start(total, 0, { replayed: 0, skipped: 0, failed: 0 });
  let job: ReplayJob;
  do {
    await sleep(500);
    job = await client.get<ReplayJob>(`/api/runs/replay/${jobId}`);
    const { progress } = job;
    bar.update(progress.total - progress.pending, progress);
  } while (job.state === 'running');
  bar.stop();
  const { progress } = job;
  out(
    `Job ${jobId}: ${progress.replayed} replayed, ${progress.skipped} skipped, ${progress.failed} failed.`,
  );
  job.report
    .filter((item) => item.state === 'failed')
    .forEach((item) => out(`  ${item.workflowId}: ${item.code ?? 'failed'}`));
}

function runLine(run: RunSummary): string {
  const why =
    run.status === 'failed'
      ? `${run.failureType ?? '?'} at ${run.failedNode ?? '?'}`
      : (run.outcome ?? '');
  return [run.workflowId, run.status, why, run.startedAt ?? ''].join('  ');
}

function printTimeline(timeline: RunTimeline): void {
  out(`${timeline.workflowId}  ${timeline.status}  journey ${timeline.journeyId ?? '?'}`);
  out(`version ${timeline.versionId ?? '?'}  patient ${timeline.patientId ?? '?'}`);
  for (const step of timeline.steps) {
    out(
      `  ${step.at}  ${step.stepId} (${step.kind}) → ${step.outcome}${step.reason ? ` [${step.reason}]` : ''}`,
    );
  }
  for (const delivery of timeline.deliveries) {
    out(
      `  delivery ${delivery.stepId}: ${delivery.state} ${delivery.smtpCode ?? ''} via ${delivery.method ?? '?'} (${delivery.attempts} attempt(s))`,
    );
  }
  for (const wait of timeline.scheduled) {
    out(`  next: ${wait.stepId} at ${wait.at}`);
  }
  if (timeline.failure !== null) {
    out(
      `  failed: ${timeline.failure.type} at ${timeline.failure.failedNode ?? '?'}: ${timeline.failure.message}`,
    );
  }
}
