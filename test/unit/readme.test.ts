import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../engine/errors/codes.js';
import { IGNORE_REASONS } from '../../engine/events/ignore-reasons.js';
import { JOURNEY_ISSUE_CODES } from '../../engine/journey/issue-codes.js';

const README = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const CONFIG_SOURCE = fs.readFileSync(
  new URL('../../server/config/config.ts', import.meta.url),
  'utf8',
);

// The README is where operators look codes and settings up; a code or variable it does not list
// is one nobody can act on.
describe('the README', () => {
  it.each(Object.keys(ERROR_CODES))('lists the error code %s', (code) => {
    expect(README).toContain(`| \`${code}\` |`);
  });

  it.each(Object.keys(IGNORE_REASONS))('lists the ignore reason %s', (reason) => {
    expect(README).toContain(`| \`${reason}\` |`);
  });

  it('lists every environment variable the configuration reads', () => {
    const variables = [...CONFIG_SOURCE.matchAll(/^\s+([A-Z][A-Z0-9_]+): z\./gm)].map(
      (match) => match[1],
    );

    expect(variables.length).toBeGreaterThan(10);
    for (const variable of variables) {
      expect(README).toContain(`| \`${variable}\` |`);
    }
  });

  it('names the test command that .ci/run runs', () => {
    const ci = fs.readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');

    expect(README).toContain('npm ci && npm test');
    expect(ci).toContain('npm test');
  });
});

// Issue 3: the journey rules a validation problem names.
describe('the README journey rules', () => {
  it.each(Object.keys(JOURNEY_ISSUE_CODES))('lists the journey rule %s', (code) => {
    expect(README).toContain(`| \`${code}\` |`);
  });
});
