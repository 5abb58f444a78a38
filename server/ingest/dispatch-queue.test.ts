import { describe, expect, it } from 'vitest';
import type { CareEvent } from '../../engine/events/care-event.js';
import type { RunDispatch } from '../db/inbox.store.js';
import { createDispatchQueue } from './dispatch-queue.js';

function eventAbout(subjectId: string, id: string): CareEvent {
  return {
    id,
    type: 'appointment.booked',
    source: 'ehr',
    subject: { resourceType: 'Appointment', id: subjectId },
    patientId: 'p',
    occurredAt: '2026-12-03T10:00:00Z',
    data: {},
  };
}

const quietLog = { warn: () => undefined };

/** A dispatch whose calls stay open until the test lets each one finish. */
function controlledDispatch() {
  const started: string[] = [];
  const finish = new Map<string, (runs: RunDispatch[]) => void>();
  const fail = new Map<string, (error: Error) => void>();
  const dispatch = (event: CareEvent) =>
    new Promise<RunDispatch[]>((resolve, reject) => {
      started.push(event.id);
      finish.set(event.id, resolve);
      fail.set(event.id, reject);
    });
  return { started, finish, fail, dispatch };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('dispatch queue', () => {
  it('dispatches events about one subject in arrival order, one at a time', async () => {
    const control = controlledDispatch();
    const queue = createDispatchQueue({ dispatch: control.dispatch, log: quietLog });

    void queue.enqueue(eventAbout('apt-1', 'booked'));
    void queue.enqueue(eventAbout('apt-1', 'cancelled'));
    await tick();
    expect(control.started).toEqual(['booked']);

    control.finish.get('booked')?.([]);
    await tick();
    expect(control.started).toEqual(['booked', 'cancelled']);
  });

  it('lets different subjects go ahead side by side, at most four at once', async () => {
    const control = controlledDispatch();
    const queue = createDispatchQueue({ dispatch: control.dispatch, log: quietLog });

    for (const subject of ['a', 'b', 'c', 'd', 'e', 'f']) {
      void queue.enqueue(eventAbout(subject, `event-${subject}`));
    }
    await tick();
    expect(control.started).toEqual(['event-a', 'event-b', 'event-c', 'event-d']);

    control.finish.get('event-b')?.([]);
    await tick();
    expect(control.started).toHaveLength(5);
  });

  it('returns the dispatch under way when the same event is queued again', async () => {
    const control = controlledDispatch();
    const queue = createDispatchQueue({ dispatch: control.dispatch, log: quietLog });
    const event = eventAbout('apt-2', 'once');

    const first = queue.enqueue(event);
    const second = queue.enqueue(event);
    expect(queue.isQueued('once')).toBe(true);
    await tick();
    const runs: RunDispatch[] = [
      { journeyId: 'j', versionId: 'v', workflowId: 'w', action: 'started' },
    ];
    control.finish.get('once')?.(runs);

    expect(await first).toBe(runs);
    expect(await second).toBe(runs);
    expect(control.started).toEqual(['once']);
    expect(queue.isQueued('once')).toBe(false);
  });

  it('answers undefined for an event left to the inbox loop, then goes on', async () => {
    const control = controlledDispatch();
    const warnings: string[] = [];
    const queue = createDispatchQueue({
      dispatch: control.dispatch,
      log: {
        warn: (...args: unknown[]) => {
          warnings.push(String(args[1]));
        },
      },
    });

    const deferred = queue.enqueue(eventAbout('apt-3', 'unreachable'));
    const next = queue.enqueue(eventAbout('apt-3', 'after'));
    await tick();
    control.fail.get('unreachable')?.(new Error('Temporal is down'));

    expect(await deferred).toBeUndefined();
    expect(warnings).toEqual(['Dispatch deferred to the inbox loop']);
    await tick();
    control.finish.get('after')?.([]);
    expect(await next).toEqual([]);
  });

  it('drains: resolves once every queued dispatch has finished', async () => {
    const control = controlledDispatch();
    const queue = createDispatchQueue({ dispatch: control.dispatch, log: quietLog });
    void queue.enqueue(eventAbout('x', 'x1'));
    void queue.enqueue(eventAbout('x', 'x2'));
    let isDrained = false;
    const drained = queue.drain().then(() => {
      isDrained = true;
    });

    await tick();
    control.finish.get('x1')?.([]);
    await tick();
    expect(isDrained).toBe(false);
    control.finish.get('x2')?.([]);
    await drained;
    expect(isDrained).toBe(true);
  });
});
