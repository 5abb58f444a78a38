import { HEADER_PARTS, type TemplatePart } from './liquid.js';

/**
 * Terms that reveal a condition, a drug or a specialty, and so may not appear in a subject,
 * preheader or sender name (COMPLIANCE.md AC-PHI-1, §4: headers travel unprotected, even when
 * the body is encrypted). A deliberately small default; organisations extend it with
 * `PATHWELL_SENSITIVE_LEXICON_FILE`. A trailing `*` matches any ending (`oncolog*`).
 */
export const DEFAULT_SENSITIVE_LEXICON: readonly string[] = [
  'abortion',
  'addiction',
  'alcohol*',
  'antidepressant*',
  'biopsy',
  'cancer',
  'cardiolog*',
  'chemo*',
  'dementia',
  'depression',
  'dermatolog*',
  'diabet*',
  'dialysis',
  'fertility',
  'genetic*',
  'gynecolog*',
  'hepatitis',
  'hiv',
  'insulin',
  'mental health',
  'methadone',
  'obstetric*',
  'oncolog*',
  'opioid*',
  'pregnan*',
  'psychiatr*',
  'psycholog*',
  'psychotherap*',
  'rehab*',
  'std',
  'sti',
  'substance use',
  'tumor',
  'tumour',
  'urolog*',
];

/** One part of a message's headers that names something it must not. */
export interface HeaderFinding {
  part: TemplatePart;
  /** `lexicon`: a sensitive term; `patient_field`: a value from the patient's record. */
  kind: 'lexicon' | 'patient_field';
  term: string;
}

/**
 * Finds sensitive terms, and the patient's own values (name, address), in the parts of a
 * message that become headers. Matching is case-insensitive on whole words (a term can be a
 * phrase), so "Hiverton Clinic" does not match "hiv".
 *
 * @param parts - the subject, preheader and sender name, as written or as rendered
 * @param lexicon - sensitive terms (see {@link DEFAULT_SENSITIVE_LEXICON})
 * @param patientValues - the patient's field values that must never reach a header
 */
export function lintHeaderParts(
  parts: Partial<Record<TemplatePart, string | undefined>>,
  lexicon: readonly string[],
  patientValues: readonly string[] = [],
): HeaderFinding[] {
  const matchers = lexicon.map((term) => ({ term, pattern: termPattern(term) }));
  const values = patientValues.filter((value) => value.trim().length >= 2);
  const findings: HeaderFinding[] = [];
  for (const part of HEADER_PARTS) {
    const text = parts[part];
    if (text === undefined || text === '') {
      continue;
    }
    for (const { term, pattern } of matchers) {
      if (pattern.test(text)) {
        findings.push({ part, kind: 'lexicon', term });
      }
    }
    for (const value of values) {
      if (termPattern(value).test(text)) {
        findings.push({ part, kind: 'patient_field', term: value });
      }
    }
  }
  return findings;
}

/** Reads a lexicon file's text: one term per line, `#` comments and blank lines ignored. */
export function parseLexicon(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim().toLowerCase())
    .filter((line) => line !== '');
}

function termPattern(term: string): RegExp {
  const isPrefix = term.endsWith('*');
  const words = (isPrefix ? term.slice(0, -1) : term)
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const body = words.join('[\\s\\-]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${isPrefix ? '' : '(?![\\p{L}\\p{N}])'}`, 'iu');
}
