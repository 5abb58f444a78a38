import { DateTime } from 'luxon';

/** An event Pathwell ships for the simulator: made up, no real patient's data. */
export interface SampleEvent {
  name: string;
  label: string;
  /** The event data, with times placed after the virtual clock's start. */
  data: (startAt: string) => Record<string, unknown>;
}

function daysAfter(startAt: string, days: number, hour: number): string {
  return (
    DateTime.fromISO(startAt, { zone: 'UTC' })
      .plus({ days })
      .set({ hour, minute: 0, second: 0, millisecond: 0 })
      .toISO({ suppressMilliseconds: true }) ?? startAt
  );
}

// One per event type Pathwell knows, written for Pathwell (values are invented).
export const SAMPLE_EVENTS: readonly SampleEvent[] = [
  {
    name: 'appointment.booked',
    label: 'Appointment booked, in 3 days at 15:00 UTC',
    data: (startAt) => ({
      appointment: {
        start: daysAfter(startAt, 3, 15),
        end: daysAfter(startAt, 3, 16),
        location: 'Clinic B, room 4',
        status: 'booked',
      },
    }),
  },
  {
    name: 'appointment.booked.tomorrow-early',
    label: 'Appointment booked, tomorrow at 13:00 UTC (early morning locally)',
    data: (startAt) => ({
      appointment: {
        start: daysAfter(startAt, 1, 13),
        end: daysAfter(startAt, 1, 14),
        location: 'Main building, desk 2',
        status: 'booked',
      },
    }),
  },
  {
    name: 'appointment.rescheduled',
    label: 'Appointment rescheduled to in 5 days',
    data: (startAt) => ({
      appointment: {
        start: daysAfter(startAt, 5, 14),
        end: daysAfter(startAt, 5, 15),
        location: 'Clinic B, room 4',
        status: 'booked',
      },
    }),
  },
  {
    name: 'appointment.confirmed',
    label: 'Appointment confirmed by the patient',
    data: (startAt) => ({
      appointment: {
        start: daysAfter(startAt, 2, 14),
        end: daysAfter(startAt, 2, 15),
        location: 'Clinic B, room 4',
        status: 'booked',
      },
    }),
  },
  {
    name: 'appointment.cancelled',
    label: 'Appointment cancelled',
    data: (startAt) => ({
      appointment: {
        start: daysAfter(startAt, 2, 14),
        end: daysAfter(startAt, 2, 15),
        location: 'Clinic B, room 4',
        status: 'cancelled',
      },
    }),
  },
  {
    name: 'prescription.renewal_due',
    label: 'Prescription renewal due in 10 days',
    data: (startAt) => ({
      prescription: {
        dueDate: daysAfter(startAt, 10, 0).slice(0, 10),
        medication: 'Sample medication 5 mg',
        status: 'active',
      },
    }),
  },
  {
    name: 'patient.discharged',
    label: 'Patient discharged this morning',
    data: (startAt) => ({
      discharge: { at: daysAfter(startAt, 0, 8), class: 'IMP', isApproximate: false },
    }),
  },
];
