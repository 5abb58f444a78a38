import { describe, expect, it } from 'vitest';
import { DEFAULT_SENSITIVE_LEXICON, lintHeaderParts, parseLexicon } from './header-lint.js';

describe('lintHeaderParts (AC-PHI-1)', () => {
  it('finds lexicon terms in the subject, preheader and sender name', () => {
    const findings = lintHeaderParts(
      {
        subject: 'Your Oncology appointment',
        preheader: 'About your insulin refill',
        fromName: 'Mental  Health Services',
        text: 'cancer is fine in an encrypted body',
      },
      DEFAULT_SENSITIVE_LEXICON,
    );

    expect(findings).toEqual([
      { part: 'subject', kind: 'lexicon', term: 'oncolog*' },
      { part: 'preheader', kind: 'lexicon', term: 'insulin' },
      { part: 'fromName', kind: 'lexicon', term: 'mental health' },
    ]);
  });

  it('matches whole words only', () => {
    expect(
      lintHeaderParts({ subject: 'Hiverton Clinic: stimulating news' }, ['hiv', 'sti']),
    ).toEqual([]);
  });

  it("finds the patient's own values", () => {
    expect(
      lintHeaderParts({ subject: 'A note for Pieter' }, [], ['Pieter', 'van de Heuvel', '']),
    ).toEqual([{ part: 'subject', kind: 'patient_field', term: 'Pieter' }]);
  });

  it('passes a generic subject', () => {
    expect(
      lintHeaderParts({ subject: 'A message from your care team' }, DEFAULT_SENSITIVE_LEXICON),
    ).toEqual([]);
  });
});

describe('parseLexicon', () => {
  it('reads one term per line, lower-cased, without comments or blanks', () => {
    expect(parseLexicon('# clinic list\nBariatric surgery\n\nnephrolog*  # kidney\n')).toEqual([
      'bariatric surgery',
      'nephrolog*',
    ]);
  });
});
