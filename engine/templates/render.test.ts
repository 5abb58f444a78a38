import { describe, expect, it } from 'vitest';
import type { PlanTemplate } from '../plan/plan.types.js';
import { renderMessage, toHeaderValue } from './render.js';

const TEMPLATE: PlanTemplate = {
  subject: 'Reminder from {{ organisation.name }}',
  html: '<p>Hello {{ patient.firstName }}, {{ appointment.start | local_datetime }}</p>',
  text: 'Hello {{ patient.firstName | default: "there" }}',
  variables: ['appointment.start', 'organisation.name', 'patient.firstName'],
  sensitivity: 'S1',
};

describe('renderMessage', () => {
  it('escapes HTML in the HTML body and leaves the text body as written', () => {
    const message = renderMessage(
      TEMPLATE,
      {
        'patient.firstName': '<b>Ann</b> & co',
        'appointment.start': '2026-01-10T15:00:00Z',
        'organisation.name': 'Clinic',
      },
      'America/Chicago',
    );

    expect(message.html).toContain('&lt;b&gt;Ann&lt;/b&gt; &amp; co');
    expect(message.html).toContain('Saturday, January 10, 2026 at 9:00 AM CST');
    expect(message.text).toBe('Hello <b>Ann</b> & co');
  });

  it('renders a declared but absent value as empty, so `default` applies', () => {
    const message = renderMessage(TEMPLATE, { 'appointment.start': '2026-01-10T15:00:00Z' }, 'UTC');

    expect(message.text).toBe('Hello there');
  });

  it('gives the template only its declared variables (minimum necessary)', () => {
    const template = { ...TEMPLATE, text: 'Your diagnosis: {{ patient.diagnosis }}' };

    expect(() => renderMessage(template, { 'patient.diagnosis': 'secret' }, 'UTC')).toThrow(
      expect.objectContaining({ code: 'min_necessary_violation' }),
    );
  });

  it('strips line breaks and control characters from header values, so no header can be injected', () => {
    const template = { ...TEMPLATE, fromName: '{{ organisation.name }}' };

    const message = renderMessage(
      template,
      { 'organisation.name': 'Ann\r\nBcc: x@evil.test\u0000' },
      'UTC',
    );

    expect(message.subject).toBe('Reminder from Ann Bcc: x@evil.test');
    expect(message.fromName).toBe('Ann Bcc: x@evil.test');
    expect(toHeaderValue('a\u2028b\tc')).toBe('a b c');
  });
});
