import { proxyActivities, proxyLocalActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { JourneyActivities } from '../../activities/create-activities.js';
import type { StepRecord } from '../../engine/interpreter/run-state.js';
import type { JourneyRunArgs, RunResult } from '../../workflows/journey.workflow.js';

// The same activities with the same options as workflows/journey.workflow.ts, so the benchmark
// compares only how the run is driven.
const { loadPatientFacts } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
});
const { sendEmail } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 25,
  },
});
const { recordRunEnd } = proxyLocalActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * trigger → condition (has an email) → wait until the appointment starts → send → exit,
 * written straight in workflow code as Temporal's samples would, with no interpreter.
 */
export async function handWrittenRun({ input }: JourneyRunArgs): Promise<RunResult> {
  const { workflowId } = workflowInfo();
  const facts = await loadPatientFacts({
    patientId: input.event.patientId,
    fields: ['patient.email'],
  });
  if (facts.fields['patient.email'] === undefined) {
    const steps = [step('has-email', 'condition', 'no'), step('done', 'exit', 'skipped')];
    const end = { status: 'completed' as const, outcome: 'skipped' };
    await recordRunEnd({ workflowId, firstSeq: 0, steps, end });
    return { ...end, steps };
  }

  const steps = [step('has-email', 'condition', 'yes')];
  const start = (input.event.data.appointment as { start: string }).start;
  const delay = Date.parse(start) - Date.now();
  if (delay > 0) {
    await sleep(delay);
  }
  steps.push(step('wait', 'wait.until', delay > 0 ? 'reached' : 'anchor_passed_continue'));

  const report = await sendEmail({
    workflowId,
    journeyId: input.journeyId,
    versionId: input.versionId,
    stepId: 'send',
    eventId: input.event.id,
    patientId: input.event.patientId,
    progress: { firstSeq: 0, steps },
  });
  const sent = [step('send', 'send.email', report.outcome), step('done', 'exit', 'completed')];
  const end = { status: 'completed' as const, outcome: 'completed' };
  await recordRunEnd({ workflowId, firstSeq: steps.length, steps: sent, end });
  return { ...end, steps: [...steps, ...sent] };
}

function step(stepId: string, kind: StepRecord['kind'], outcome: string): StepRecord {
  return { stepId, kind, outcome, at: new Date().toISOString() };
}
