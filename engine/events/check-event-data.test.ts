import { describe, expect, it } from 'vitest';
import { checkEventData } from './check-event-data.js';

describe('checkEventData', () => {
  it('accepts data that fits the catalogue, and members it does not know', () => {
    expect(
      checkEventData('appointment.rescheduled', {
        appointment: { start: '2026-06-10T09:00:00+02:00', location: 'Room 4', extra: 1 },
        other: 'kept',
      }),
    ).toEqual([]);
    expect(checkEventData('survey.completed', { score: 'anything' })).toEqual([]);
  });

  it('names each member of the wrong type', () => {
    const issues = checkEventData('appointment.rescheduled', {
      appointment: { start: '2026-06-10T09:00:00', location: 4 },
    });

    expect(issues.map((issue) => issue.field)).toEqual([
      'data.appointment.start',
      'data.appointment.location',
    ]);
    expect(issues[0]?.message).toContain('UTC offset');
  });

  it('takes a date or a date-time for a date variable', () => {
    expect(
      checkEventData('prescription.renewal_due', { prescription: { dueDate: '2026-07-01' } }),
    ).toEqual([]);
    expect(
      checkEventData('prescription.renewal_due', { prescription: { dueDate: 'next week' } }),
    ).toHaveLength(1);
  });
});
