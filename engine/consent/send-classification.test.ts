import { describe, expect, it } from 'vitest';
import type { JourneyDocument } from '../journey/journey.schema.js';
import { validateJourney } from '../journey/validate.js';
import { compileJourney } from '../plan/compile.js';

function journey(eventType: string, send: Record<string, unknown>): JourneyDocument {
  const marketing = send.purpose === 'marketing';
  const body = marketing
    ? 'Offer. {{ links.unsubscribe }} {{ organisation.postalAddress }}'
    : 'Time to renew your prescription.';
  return {
    schemaVersion: 1,
    name: 'Classification',
    description: '',
    nodes: [
      { id: 'start', type: 'trigger.event', position: { x: 0, y: 0 }, data: { eventType } },
      {
        id: 'send',
        type: 'send.email',
        position: { x: 0, y: 100 },
        data: {
          protection: 'auto',
          template: {
            subject: 'A message from your care team',
            html: `<p>${body}</p>`,
            text: body,
            variables: marketing ? ['links.unsubscribe', 'organisation.postalAddress'] : [],
          },
          ...send,
        },
      },
      { id: 'end', type: 'exit', position: { x: 0, y: 200 }, data: { outcome: 'done' } },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'out', target: 'send' },
      { id: 'b', source: 'send', sourceHandle: 'out', target: 'end' },
    ],
  } as JourneyDocument;
}

const codes = (document: JourneyDocument) => {
  const result = validateJourney(document);
  return result.ok ? [] : result.issues.map((issue) => issue.code);
};

describe('send classification rules (COMPLIANCE.md AC-CLS-1)', () => {
  it('requires a refill declaration on refill journeys', () => {
    expect(codes(journey('prescription.renewal_due', { purpose: 'treatment' }))).toContain(
      'refill_classification_missing',
    );
    expect(
      codes(
        journey('prescription.renewal_due', {
          purpose: 'treatment',
          refill: { drugRef: 'rx-1', remuneration: 'none' },
        }),
      ),
    ).toEqual([]);
  });

  it('requires a campaign programme on marketing sends, and carries it into the plan', () => {
    expect(codes(journey('appointment.booked', { purpose: 'marketing' }))).toContain(
      'marketing_campaign_missing',
    );
    const compiled = compileJourney(
      journey('appointment.booked', {
        purpose: 'marketing',
        campaign: { program: 'wellness-2026' },
        thirdPartyRemuneration: true,
      }),
    );
    expect(compiled.plan.steps.send).toMatchObject({
      campaign: { program: 'wellness-2026' },
      thirdPartyRemuneration: true,
    });
  });

  it('leaves the plan of a send that declares nothing unchanged', () => {
    const step = compileJourney(journey('appointment.booked', { purpose: 'treatment' })).plan.steps
      .send as Record<string, unknown>;
    expect(Object.keys(step).sort()).toEqual([
      'id',
      'kind',
      'next',
      'protection',
      'purpose',
      'template',
    ]);
  });
});
