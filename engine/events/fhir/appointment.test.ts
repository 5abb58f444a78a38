import type { Appointment } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/app-error.js';
import { readAppointment } from './appointment.js';

const isPatient = (reference: string) => reference.startsWith('Patient/');

function appointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    resourceType: 'Appointment',
    id: 'a1',
    status: 'booked',
    start: '2026-03-10T09:00:00+01:00',
    end: '2026-03-10T09:30:00+01:00',
    participant: [
      { actor: { reference: 'Patient/p1' }, status: 'needs-action' },
      { actor: { reference: 'Location/l1', display: 'Clinic B, room 4' }, status: 'accepted' },
    ],
    ...overrides,
  };
}

describe('readAppointment', () => {
  it('reads a booked appointment as appointment.booked with its start as a UTC instant', () => {
    const reading = readAppointment(appointment(), isPatient, undefined);

    expect(reading).toMatchObject({
      kind: 'event',
      type: 'appointment.booked',
      patientReference: 'Patient/p1',
      data: {
        appointment: { id: 'a1', start: '2026-03-10T08:00:00Z', location: 'Clinic B, room 4' },
      },
    });
  });

  it('ignores a proposed appointment and statuses that start no reminder', () => {
    expect(
      readAppointment(appointment({ status: 'proposed', start: undefined }), isPatient, undefined),
    ).toEqual({ kind: 'ignored', reason: 'appointment_proposed' });
    expect(readAppointment(appointment({ status: 'fulfilled' }), isPatient, undefined)).toEqual({
      kind: 'ignored',
      reason: 'appointment_status_not_actionable',
    });
  });

  it.each(['cancelled', 'noshow', 'entered-in-error'] as const)(
    'reads %s as appointment.cancelled',
    (status) => {
      expect(readAppointment(appointment({ status }), isPatient, undefined)).toMatchObject({
        type: 'appointment.cancelled',
      });
    },
  );

  it('tells a reschedule, a confirmation and no change apart from what Pathwell knows', () => {
    const known = {
      status: 'booked',
      start: '2026-03-10T08:00:00Z',
      end: '2026-03-10T08:30:00Z',
      patientStatus: 'needs-action',
    };

    expect(readAppointment(appointment(), isPatient, known)).toEqual({
      kind: 'ignored',
      reason: 'no_change',
    });
    expect(
      readAppointment(appointment({ start: '2026-03-11T09:00:00+01:00' }), isPatient, known),
    ).toMatchObject({ type: 'appointment.rescheduled' });
    const accepted = appointment();
    (accepted.participant[0] as { status: string }).status = 'accepted';
    expect(readAppointment(accepted, isPatient, known)).toMatchObject({
      type: 'appointment.confirmed',
    });
  });

  it('refuses an appointment without a patient participant with appointment_patient_missing', () => {
    const withoutPatient = appointment({
      participant: [{ actor: { reference: 'Practitioner/x' }, status: 'accepted' }],
    });

    expect(() => readAppointment(withoutPatient, isPatient, undefined)).toThrow(
      expect.objectContaining({ code: 'appointment_patient_missing' }),
    );
  });

  it.each(['tomorrow', '2026-03-10T09:00:00', '2026-13-45T09:00:00Z'])(
    'refuses the start %j with appointment_start_invalid',
    (start) => {
      try {
        readAppointment(appointment({ start }), isPatient, undefined);
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && error.code).toBe('appointment_start_invalid');
      }
    },
  );
});
