import { ROUTE_ACCESS } from './route-access.js';
import { ROLES } from './roles.js';

const WHO = {
  public: 'anyone',
  hook: 'a registered EHR source (signed, or its bearer token)',
  dev_loopback: 'development mode, this machine',
  signed_in: 'any signed-in user or API token',
} as const;

/**
 * The README's route × role table, generated from {@link ROUTE_ACCESS} (a unit test keeps the
 * README equal to it): one row per route, a ✓ per role allowed, or who else may call it.
 */
export function accessTableMarkdown(): string {
  const header = `| route | ${ROLES.join(' | ')} | token scopes / other |`;
  const rule = `|---|${ROLES.map(() => '---|').join('')}---|`;
  const rows = Object.entries(ROUTE_ACCESS).map(([key, access]) => {
    if (access.kind === 'public' && access.isRateLimited === true) {
      return `| \`${key}\` |${ROLES.map(() => ' |').join('')} anyone (rate-limited) |`;
    }
    if (access.kind !== 'roles') {
      return `| \`${key}\` |${ROLES.map(() => ' |').join('')} ${WHO[access.kind]} |`;
    }
    const marks = ROLES.map((role) => (access.roles.includes(role) ? ' ✓ |' : ' |')).join('');
    const readOnly =
      key.startsWith('GET ') &&
      (access.roles.includes('viewer') || access.roles.includes('auditor'));
    const extra = [...access.scopes, ...(readOnly ? ['read_only'] : [])];
    return `| \`${key}\` |${marks} ${extra.map((scope) => `\`${scope}\``).join(', ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
