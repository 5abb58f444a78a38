import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { FAILURE_CONVERTER_PATH } from '../../server/temporal/temporal-client.js';
import { workflowBundle } from '../../server/worker/workflow-bundle.js';
import { readHistoryFixtures } from '../support/history-files.js';
import { historyFixtureCodec } from '../support/history-key.js';

Runtime.install({ logger: new DefaultLogger('WARN') });

const fixtures = readHistoryFixtures();

async function replay(histories: typeof fixtures) {
  const bundle = await workflowBundle(path.join(inject('integration').dataDir, 'cache'));
  const results = Worker.runReplayHistories(
    {
      workflowBundle: bundle,
      dataConverter: {
        payloadCodecs: [historyFixtureCodec()],
        failureConverterPath: FAILURE_CONVERTER_PATH,
      },
    },
    histories.map((fixture) => ({ workflowId: fixture.workflowId, history: fixture.history })),
  );
  const outcomes: Array<{ workflowId: string; error: string | undefined }> = [];
  for await (const result of results) {
    outcomes.push({ workflowId: result.workflowId, error: result.error?.name });
  }
  return outcomes;
}

// The saved histories are runs of the workflows as they were recorded; today's workflow code
// must replay each one to the same commands, or runs in flight would break on deploy. Their
// payloads are encrypted with the public test key of test/support/history-key.ts.
describe('saved workflow histories', () => {
  it('are there to replay: journey runs of every step kind and signal, and schedules', () => {
    expect(fixtures.map((fixture) => fixture.name)).toEqual(
      expect.arrayContaining([
        'every-step-received',
        'cancelled',
        'rescheduled-wait',
        'continued-as-new-first',
        'schedule-firing',
      ]),
    );
    expect(new Set(fixtures.map((fixture) => fixture.workflowType))).toEqual(
      new Set(['journeyRun', 'journeySchedule']),
    );
  });

  it('replay without a determinism error on the current workflow code', async () => {
    const outcomes = await replay(fixtures);

    expect(outcomes).toEqual(
      fixtures.map((fixture) => ({ workflowId: fixture.workflowId, error: undefined })),
    );
  });

  it('fail to replay when the history and the code disagree (the check can fail)', async () => {
    const [original] = fixtures.filter((fixture) => fixture.name === 'every-step-received');
    const tampered = structuredClone(original);
    const scheduled = tampered?.history.events?.find(
      (event) => event.activityTaskScheduledEventAttributes,
    );
    if (scheduled?.activityTaskScheduledEventAttributes?.activityType) {
      scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    }

    const outcomes = await replay(tampered === undefined ? [] : [tampered]);

    expect(outcomes).toEqual([
      { workflowId: original?.workflowId, error: 'DeterminismViolationError' },
    ]);
  });
});
