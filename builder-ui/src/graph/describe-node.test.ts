import { describe, expect, it } from 'vitest';
import { describeNode } from './describe-node.js';

describe('describeNode', () => {
  it('says a wait rule in words with its local time rules', () => {
    const words = describeNode({
      type: 'wait.until',
      data: {
        anchor: 'appointment.start',
        offset: { amount: 24, unit: 'hours', direction: 'before' },
        atLocalTime: '10:00',
        quietHours: { start: '21:00', end: '08:00' },
        weekdays: [1, 2, 3, 4, 5],
        ifPassed: 'exit',
      },
    });

    expect(words).toBe(
      '24 h before appointment.start, at 10:00, not 21:00–08:00, only Mon Tue Wed Thu Fri, ' +
        'exit if passed',
    );
  });

  it('names the purpose and protection of a send', () => {
    const words = describeNode({
      type: 'send.email',
      data: {
        template: { subject: 'Your visit', html: '', text: 'x', variables: [] },
        purpose: 'treatment',
        protection: 'tls_required',
      },
    });

    expect(words).toContain('treatment');
    expect(words).toContain('tls_required');
  });

  it('describes a trigger filter and split branches', () => {
    expect(
      describeNode({
        type: 'trigger.event',
        data: {
          eventType: 'appointment.booked',
          filter: { combinator: 'all', rules: [{ field: 'patient.language', op: 'exists' }] },
        },
      }),
    ).toBe('When appointment.booked, if patient.language exists');
    expect(
      describeNode({
        type: 'split',
        data: {
          branches: [
            { id: 'a', percent: 30 },
            { id: 'b', percent: 70 },
          ],
        },
      }),
    ).toBe('30% a / 70% b');
  });
});
