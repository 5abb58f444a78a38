/** What posting one HL7 v2 fixture should do, written by hand from reading the file. */
export interface ExpectedHl7 {
  /** HTTP status: 200 for AA, 400 for AE/AR. */
  status: number;
  /** MSA-1. */
  ack: 'AA' | 'AE' | 'AR';
  /** The inbox event the message produces, if any. */
  event?: {
    type: string;
    subjectType: string;
    data?: Record<string, string | boolean | { instant: string }>;
  };
  /** ERR-2 (the location) and Pathwell's code for a refusal. */
  error?: { location: string; code: string };
  /** A patient is stored (created or updated). */
  storesPatient?: boolean;
  /** A prescription is stored with this medication. */
  prescription?: string;
}

// Posted in this order to one source. The GHH samples share one patient (PATID1234, MR) and one
// appointment (SCH-2 36996); MSH-10 MSG00001 is reused across message types.
export const HL7_HOOK_EXPECTATIONS: Array<[string, ExpectedHl7]> = [
  // PV1-45 20150209113419+0110.
  [
    'hl7v2/ADT-A03-01.hl7',
    {
      status: 200,
      ack: 'AA',
      storesPatient: true,
      event: {
        type: 'patient.discharged',
        subjectType: 'Encounter',
        data: {
          'discharge.at': { instant: '2015-02-09T10:24:19Z' },
          'discharge.isApproximate': false,
        },
      },
    },
  ],
  ['hl7v2/ADT-A04-01.hl7', { status: 200, ack: 'AA', storesPatient: true }],
  ['hl7v2/ADT-A08-01.hl7', { status: 200, ack: 'AA', storesPatient: true }],
  // Starts with a UTF-8 byte-order mark.
  ['hl7v2/ADT04-23.hl7', { status: 200, ack: 'AA', storesPatient: true }],
  ['hl7v2/ORU-R01-01.hl7', { status: 200, ack: 'AA' }],
  [
    'hl7v2/RDE-O11-01.hl7',
    {
      status: 200,
      ack: 'AA',
      storesPatient: true,
      prescription: '200 ML BAG : NICARDIPINE IN NACL (ISO-OS) 40 MG/200 ML IV PGBK',
    },
  ],
  // TQ1-7 20210924093000+0215.
  [
    'hl7v2/SIU-S12-01.hl7',
    {
      status: 200,
      ack: 'AA',
      storesPatient: true,
      event: {
        type: 'appointment.booked',
        subjectType: 'Appointment',
        data: {
          'appointment.start': { instant: '2021-09-24T07:15:00Z' },
          'appointment.location': 'Room01, GH Clinic',
        },
      },
    },
  ],
  [
    'hl7v2/SIU-S15-01.hl7',
    {
      status: 200,
      ack: 'AA',
      event: { type: 'appointment.cancelled', subjectType: 'Appointment' },
    },
  ],
  // A no-show of the appointment S15 already cancelled: nothing changes.
  ['hl7v2/SIU-S26-01.hl7', { status: 200, ack: 'AA' }],
  // ADT^O01 and ORM^O01: acknowledged, no journeys.
  ['hl7v2/Sample-ADT.txt', { status: 200, ack: 'AA' }],
  ['hl7v2/Sample-ORM.txt', { status: 200, ack: 'AA' }],
  // MSH-2 "^~\\&" uses the backslash as escape and as subcomponent separator.
  ['hl7v2/sample_win.hl7', { status: 400, ack: 'AR', error: { location: 'MSH^1^2', code: '102' } }],
];
