import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BulkReplay } from './BulkReplay.js';
import { RunDetail } from './RunDetail.js';
import { RunsPage } from './RunsPage.js';

// The real API client against a scripted server: only `fetch` is replaced, so the screens,
// the client's query strings and its reading of problem details are what is checked.
type Answer = { status: number; body?: unknown };
function scriptedServer(answers: Answer[]) {
  const calls: { path: string; init: RequestInit }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      calls.push({ path, init });
      const answer = answers.shift() ?? { status: 500 };
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return calls;
}

function summary(id: string, status: string) {
  return {
    workflowId: id,
    runId: `r-${id}`,
    journeyId: 'j1',
    versionId: 'v1',
    patientId: '00000000-0000-4000-8000-000000000001',
    status,
    outcome: null,
    reason: null,
    failureType: status === 'failed' ? 'template_error' : null,
    failedNode: status === 'failed' ? 'send1' : null,
    startedAt: '2026-12-01T10:00:00.000Z',
    closedAt: null,
    replays: 0,
  };
}

const timeline = {
  ...summary('run-j1-a', 'failed'),
  at: null,
  steps: [
    { seq: 1, stepId: 'start', kind: 'trigger', outcome: 'next', at: '2026-12-01T10:00:00Z' },
  ],
  decisions: [
    {
      at: '2026-12-01T10:00:01Z',
      stepId: 'send1',
      action: 'send',
      decision: 'deny',
      reason: 'consent_missing',
      purpose: null,
      method: null,
      stage: null,
      smtpCode: null,
    },
  ],
  deliveries: [],
  scheduled: [],
  failure: { type: 'template_error', failedNode: 'send1', message: 'A field is missing.' },
};

describe('RunsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists runs, sends the filters as a query, pages on, and never sends a patient id', async () => {
    const calls = scriptedServer([
      { status: 200, body: { runs: [], nextPageToken: null } },
      { status: 200, body: { runs: [summary('run-j1-a', 'failed')], nextPageToken: 'tok2' } },
      { status: 200, body: { runs: [summary('run-j1-b', 'failed')], nextPageToken: null } },
    ]);
    const onOpen = vi.fn();
    render(<RunsPage onOpen={onOpen} />);
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    fireEvent.change(screen.getByLabelText('Journey id'), { target: { value: 'j1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await screen.findByRole('button', { name: 'run-j1-a' });
    const filtered = new URL(calls[1]?.path ?? '', 'http://x');
    expect(filtered.pathname).toBe('/api/runs');
    expect(filtered.searchParams.get('status')).toBe('failed');
    expect(filtered.searchParams.get('journeyId')).toBe('j1');

    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByRole('button', { name: 'run-j1-b' });
    expect(new URL(calls[2]?.path ?? '', 'http://x').searchParams.get('pageToken')).toBe('tok2');
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'run-j1-b' }));
    expect(onOpen).toHaveBeenCalledWith('run-j1-b');
    expect(calls.every((c) => !c.path.includes('00000000-0000-4000'))).toBe(true);
    expect(screen.queryByText(/00000000-0000-4000/)).toBeNull();
  });
});

describe('RunDetail', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the timeline and, after a confirmation, shows the problem of a refused replay', async () => {
    const calls = scriptedServer([
      { status: 200, body: timeline },
      {
        status: 409,
        body: { code: 'run_not_replayable', detail: 'The newest version lacks step send1.' },
      },
    ]);
    render(<RunDetail runId="run-j1-a" onBack={() => {}} />);
    const decisions = await screen.findByRole('region', { name: 'Decisions' });
    expect(within(decisions).getByText(/consent_missing/)).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Failure' }).textContent).toContain('send1');
    expect(screen.getByRole('button', { name: 'Cancel run' })).toHaveProperty('disabled', true);

    fireEvent.click(screen.getByRole('button', { name: 'Replay run' }));
    const dialog = screen.getByRole('alertdialog');
    // Focus starts on Back, so a stray Enter does not replay.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Back' }));
    expect(calls).toHaveLength(1);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm replay' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The newest version lacks step send1.');
    expect(alert.textContent).toContain('run_not_replayable');
    expect(calls[1]?.path).toBe('/api/runs/run-j1-a/replay');
    expect(calls[1]?.init.method).toBe('POST');
    expect(JSON.parse(calls[1]?.init.body as string)).toEqual({ version: 'own' });
  });

  it('replays on the newest published version when that is the one confirmed', async () => {
    const calls = scriptedServer([
      { status: 200, body: timeline },
      { status: 202, body: { workflowId: 'run-j1-a', mode: 'from_failed_step' } },
      { status: 200, body: timeline },
    ]);
    render(<RunDetail runId="run-j1-a" onBack={() => {}} />);
    await screen.findByRole('region', { name: 'Decisions' });

    fireEvent.click(screen.getByRole('button', { name: 'Replay on newest version' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('newest published version');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm replay' }));

    await screen.findByText(/Replay started as run-j1-a/);
    expect(JSON.parse(calls[1]?.init.body as string)).toEqual({ version: 'newest' });
  });
});

describe('BulkReplay', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('dry-runs the filter, confirms, then polls the job until its report is in', async () => {
    const job = (state: string, pending: number, replayed: number) => ({
      id: 'b7f9c1de-0000-4000-8000-000000000000',
      state,
      progress: { total: 2, pending, replayed, skipped: 0, failed: 0 },
      report: [
        { seq: 1, workflowId: 'run-j1-a', state: 'replayed', code: null, replayRunId: 'x' },
        {
          seq: 2,
          workflowId: 'run-j1-b',
          state: pending > 0 ? 'pending' : 'replayed',
          code: null,
          replayRunId: null,
        },
      ],
    });
    const calls = scriptedServer([
      { status: 200, body: { dryRun: true, total: 2, isTruncated: false, runs: [] } },
      { status: 202, body: { dryRun: false, jobId: 'b7f9c1de-0000-4000-8000-000000000000' } },
      { status: 200, body: job('running', 1, 1) },
      { status: 200, body: job('completed', 0, 2) },
    ]);
    render(<BulkReplay filter={{ status: 'failed', journeyId: 'j1' }} />);
    fireEvent.click(screen.getByRole('button', { name: /Dry run/ }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Replay 2 failed run(s)?');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({
      filter: { journeyId: 'j1' },
      dryRun: true,
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm bulk replay' }));

    const bar = await screen.findByLabelText('Replay progress');
    expect(bar.getAttribute('value')).toBe('1');
    await screen.findByRole('table', { name: 'Replay report' }, { timeout: 3_000 });
    expect(screen.getByRole('status').textContent).toContain('Done: 2 replayed');
    expect(screen.getByLabelText('Replay progress').getAttribute('value')).toBe('2');
    expect(JSON.parse(calls[1]?.init.body as string).dryRun).toBe(false);
    // Polling stops once the job is done.
    const polls = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(calls.length).toBe(polls);
    await waitFor(() => expect(calls[2]?.path).toContain('/api/runs/replay/b7f9c1de'));
  });
});
