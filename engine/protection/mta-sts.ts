/** MTA-STS policy modes (RFC 8461 §3.2). */
export const MTA_STS_MODES = ['enforce', 'testing', 'none'] as const;
/** An MTA-STS policy mode. */
export type MtaStsMode = (typeof MTA_STS_MODES)[number];

/** A recipient domain's MTA-STS policy, as fetched from `mta-sts.<domain>`. */
export interface MtaStsPolicy {
  mode: MtaStsMode;
  /** MX host patterns; `*.` only as the whole left-most label. */
  mx: string[];
  /** Seconds the policy may be cached. */
  maxAge: number;
}

/** The longest `max_age` RFC 8461 allows (about a year). */
export const MAX_STS_MAX_AGE = 31_557_600;

/**
 * Reads the `_mta-sts.<domain>` TXT record set (RFC 8461 §3.1): exactly one record that starts
 * with `v=STSv1` and carries an `id` of 1 to 32 letters and digits. Several such records, or
 * one without a valid id, count as no policy, as the RFC says.
 *
 * @param records - each TXT record with its strings already joined
 * @returns the policy id, or `undefined` when the domain publishes no usable record
 */
export function parseStsRecord(records: readonly string[]): string | undefined {
  const sts = records.filter((record) => /^v=STSv1\s*(;|$)/.test(record));
  if (sts.length !== 1) {
    return undefined;
  }
  const fields = new Map(
    (sts[0] ?? '')
      .split(';')
      .map((field) => field.trim())
      .filter((field) => field !== '')
      .map((field) => {
        const at = field.indexOf('=');
        return [field.slice(0, at).trim(), field.slice(at + 1).trim()] as const;
      }),
  );
  const id = fields.get('id');
  return id !== undefined && /^[A-Za-z0-9]{1,32}$/.test(id) ? id : undefined;
}

/** Why a policy body was not accepted (RFC 8460 `sts-policy-invalid`). */
export interface StsPolicyProblem {
  field: string;
  message: string;
}

/**
 * Parses a policy body (`key: value` lines, RFC 8461 §3.2). Unknown keys are ignored; a missing
 * or wrong version, mode or max_age, or an enforce/testing policy without `mx`, is invalid.
 */
export function parseStsPolicy(
  text: string,
): { ok: true; policy: MtaStsPolicy } | { ok: false; problems: StsPolicyProblem[] } {
  const values = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0) {
      continue;
    }
    const key = line.slice(0, at).trim();
    values.set(key, [...(values.get(key) ?? []), line.slice(at + 1).trim()]);
  }

  const problems: StsPolicyProblem[] = [];
  if (values.get('version')?.[0] !== 'STSv1') {
    problems.push({ field: 'version', message: 'version must be STSv1' });
  }
  const mode = values.get('mode')?.[0] as MtaStsMode | undefined;
  if (mode === undefined || !MTA_STS_MODES.includes(mode)) {
    problems.push({ field: 'mode', message: 'mode must be enforce, testing or none' });
  }
  const maxAgeText = values.get('max_age')?.[0] ?? '';
  const maxAge = /^\d{1,10}$/.test(maxAgeText) ? Number(maxAgeText) : Number.NaN;
  if (!(maxAge >= 0 && maxAge <= MAX_STS_MAX_AGE)) {
    problems.push({ field: 'max_age', message: `max_age must be 0 to ${MAX_STS_MAX_AGE}` });
  }
  const mx = (values.get('mx') ?? []).map((pattern) => pattern.toLowerCase());
  if (mode !== 'none' && mx.length === 0) {
    problems.push({ field: 'mx', message: 'an enforce or testing policy lists at least one mx' });
  }
  for (const pattern of mx) {
    if (!isValidPattern(pattern)) {
      problems.push({ field: 'mx', message: `"${pattern}" is not a host name or *.name pattern` });
    }
  }
  if (problems.length > 0 || mode === undefined) {
    return { ok: false, problems };
  }
  return { ok: true, policy: { mode, mx, maxAge } };
}

/**
 * Whether an MX host name matches a policy pattern (RFC 8461 §4.1): exact, case-insensitive, or
 * `*.example.org` for exactly one more label on the left (`mx1.example.org`, not
 * `a.b.example.org` and not `example.org`).
 */
export function mxMatchesPattern(host: string, pattern: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  const wanted = pattern.toLowerCase().replace(/\.$/, '');
  if (!wanted.startsWith('*.')) {
    return name === wanted;
  }
  const suffix = wanted.slice(1);
  const label = name.slice(0, name.length - suffix.length);
  return name.endsWith(suffix) && label !== '' && !label.includes('.');
}

/** Whether an MX host matches any pattern of a policy. */
export function mxMatchesPolicy(host: string, policy: MtaStsPolicy): boolean {
  return policy.mx.some((pattern) => mxMatchesPattern(host, pattern));
}

// A wildcard only as the whole left-most label; the rest plain host-name labels.
function isValidPattern(pattern: string): boolean {
  const labels = pattern.replace(/\.$/, '').split('.');
  return (
    labels.length >= 2 &&
    labels.every(
      (label, index) =>
        (index === 0 && label === '*') || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label),
    )
  );
}
