import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../engine/errors/app-error.js';
import { type FhirMapping, FhirMappingSchema } from '../../engine/events/fhir/generic-mapping.js';
import { isIanaZone } from '../../engine/schedule/time-zone.js';
import { DEFAULT_SENSITIVE_LEXICON, parseLexicon } from '../../engine/templates/header-lint.js';
import { parseSmtpUrl, type SmtpEndpoint } from './smtp-url.js';

/** Development runs embedded services; production refuses anything insecure. */
export type Mode = 'development' | 'production';

/** Pathwell's settings, read once from the environment. The README's table lists them all. */
export interface Config {
  mode: Mode;
  port: number;
  dataDir: string;
  publicUrl: string;
  /** `undefined` in development means: run the embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** `undefined` in development means: run the embedded Temporal dev server. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  taskQueue: string;
  /** `undefined` in development means: run the development SMTP sink. */
  smtp: SmtpEndpoint | undefined;
  smtpCaFile: string | undefined;
  from: { address: string; name: string };
  orgName: string;
  orgTimeZone: string;
  fixturesDir: string;
  logLevel: string;
  /** Base64 of 32 bytes; in development a key in the data folder is used when unset. */
  masterKey: string | undefined;
  temporalUiPort: number;
  /** The embedded Temporal dev server's gRPC port (development, TEMPORAL_ADDRESS unset). */
  temporalPort: number;
  // EHR ingestion.
  /** The EHR's FHIR base URL, for id-only notifications and patients a body only references. */
  fhirBaseUrl: string | undefined;
  /** Bearer token for the EHR's FHIR server. */
  fhirToken: string | undefined;
  /** Configured mappings from other FHIR resource types to CareEvent types. */
  fhirMappings: FhirMapping[];
  /** The MLLP listener's port, or `undefined` when it is off. */
  mllpPort: number | undefined;
  /** The interface the MLLP listener binds to. */
  mllpHost: string;
  /** Requests per second one source may make to the webhooks (a burst of twice that). */
  hookRateLimit: number;
  /** Compliance core: consent, protection, DKIM, the relay, the portal and unsubscribe. */
  compliance: ComplianceConfig;
  /** Accounts, sessions and API tokens. */
  access: AccessConfig;
}

/** Access control's settings: see the README's configuration table. */
export interface AccessConfig {
  /** The first administrator, made on start when no user exists. */
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Registered on first start as an admin-scoped API token. */
  bootstrapToken: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Sign-in attempts a second from one address (bursts of twice that). */
  signInRateLimit: number;
  /** Requests a second from one address to rate-limited public routes (patients' links). */
  publicRateLimit: number;
  /** Roles that count only in sessions opened with a passkey. */
  passkeyRoles: string[];
}

/** The compliance core's settings (COMPLIANCE.md): see the README's configuration table. */
export interface ComplianceConfig {
  orgPostalAddress: string;
  unsubscribeMailto: string;
  acceptEhrAddresses: boolean;
  allowPatientAcceptedUnencrypted: boolean;
  allowOpportunisticForS0: boolean;
  marketingFallback: 'drop' | 'portal';
  forcePortal: boolean;
  portalTtlDays: number;
  dkimDomain: string;
  dkimSelector: string;
  dkimKeyFile: string | undefined;
  relayBaa: boolean;
  relayRecipientTls: 'enforced' | 'self-managed' | undefined;
  codecCorsOrigin: string;
  /** `relay` (default) or `direct` (Pathwell delivers to each recipient MX itself). */
  deliveryMode: 'relay' | 'direct';
  /** Probe recipient domains in relay mode too (always on in direct mode). */
  recipientProbe: boolean;
  /** DNS servers for MX, TXT and address lookups (`host[:port]`); the system's when empty. */
  dnsServers: string[];
  /** Terms no subject, preheader or sender name may contain (AC-PHI-1). */
  sensitiveLexicon: readonly string[];
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
  PATHWELL_MODE: z.enum(['development', 'production']).default('development'),
  PATHWELL_DATA_DIR: z.string().min(1).default('.pathwell'),
  PATHWELL_PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'Write host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('pathwell'),
  SMTP_URL: z.string().min(1).optional(),
  // docker-compose passes an unset variable as an empty string; empty means unset.
  SMTP_CA_FILE: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  PATHWELL_FROM: z.string().min(3).default('Your care team <care@pathwell.localhost>'),
  PATHWELL_ORG_NAME: z.string().min(1).default('Pathwell Demo Clinic'),
  PATHWELL_ORG_TIMEZONE: z
    .string()
    .refine(isIanaZone, 'Use an IANA zone such as America/Chicago')
    .default('America/New_York'),
  PATHWELL_FIXTURES: z.string().min(1).default('../shared/fixtures'),
  PATHWELL_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  PATHWELL_MASTER_KEY: z.string().optional(),
  PATHWELL_TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65_535).default(8233),
  PATHWELL_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65_535).default(7233),
  // Compliance core (consent, protection, DKIM, relay, portal, unsubscribe).
  PATHWELL_ORG_POSTAL_ADDRESS: z.string().min(5).optional(),
  PATHWELL_UNSUBSCRIBE_MAILTO: z.email().optional(),
  PATHWELL_ACCEPT_EHR_ADDRESSES: booleanSetting(true),
  PATHWELL_ALLOW_PATIENT_ACCEPTED_UNENCRYPTED: booleanSetting(false),
  PATHWELL_ALLOW_OPPORTUNISTIC_S0: booleanSetting(false),
  PATHWELL_MARKETING_FALLBACK: z.enum(['drop', 'portal']).default('drop'),
  PATHWELL_FORCE_PORTAL: booleanSetting(false),
  PATHWELL_PORTAL_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  PATHWELL_DKIM_DOMAIN: z.string().min(1).optional(),
  PATHWELL_DKIM_SELECTOR: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
    .default('pathwell'),
  PATHWELL_DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  PATHWELL_RELAY_BAA: booleanSetting(false),
  PATHWELL_RELAY_RECIPIENT_TLS: z.enum(['enforced', 'self-managed']).optional(),
  PATHWELL_CODEC_CORS_ORIGIN: z.string().min(1).optional(),
  // EHR ingestion.
  PATHWELL_FHIR_BASE_URL: z.url().optional(),
  PATHWELL_FHIR_TOKEN: z.string().min(1).optional(),
  PATHWELL_FHIR_MAPPINGS: z.string().min(2).optional(),
  PATHWELL_MLLP_PORT: z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(65_535)])
    .optional(),
  PATHWELL_MLLP_HOST: z.string().min(1).default('127.0.0.1'),
  PATHWELL_HOOK_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
  // Compliance core, part two (direct delivery, the recipient probe).
  PATHWELL_DELIVERY_MODE: z.enum(['relay', 'direct']).default('relay'),
  PATHWELL_RECIPIENT_PROBE: booleanSetting(false),
  PATHWELL_DNS_SERVERS: z
    .string()
    .regex(/^\s*[^\s,]+(\s*,\s*[^\s,]+)*\s*$/, 'Write host[:port] entries, comma-separated')
    .optional(),
  PATHWELL_SENSITIVE_LEXICON_FILE: z.string().min(1).optional(),
  // Access control.
  PATHWELL_ADMIN_EMAIL: z.email().optional(),
  PATHWELL_ADMIN_PASSWORD: z.string().min(12, 'Use at least 12 characters').optional(),
  PATHWELL_BOOTSTRAP_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,256}$/, 'Use at least 32 printable characters without spaces')
    .optional(),
  PATHWELL_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  PATHWELL_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  PATHWELL_SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(5),
  PATHWELL_PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  PATHWELL_PASSKEY_ROLES: z
    .string()
    .regex(
      /^\s*((admin|designer|publisher|operator|auditor|viewer)\s*(,\s*|$))*$/,
      'Write role names (admin, designer, publisher, operator, auditor, viewer), comma-separated',
    )
    .optional(),
});

function booleanSetting(fallback: boolean) {
  return z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');
}

/**
 * Reads and checks the configuration.
 *
 * @param env - the environment, `process.env` by default
 * @throws AppError `config_invalid` naming every bad or missing variable, or
 *   `insecure_transport_config` when production is asked to run insecurely
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      code: 'config_invalid',
      message: `${issue.path.join('.')}: ${issue.message}`,
      field: issue.path.join('.'),
    }));
    throw new AppError(
      'config_invalid',
      `Fix the environment: ${issues.map((i) => i.message).join('; ')}`,
      { issues },
    );
  }
  const values = parsed.data;
  const config: Config = {
    mode: values.PATHWELL_MODE,
    port: values.PORT,
    dataDir: path.resolve(values.PATHWELL_DATA_DIR),
    publicUrl: (values.PATHWELL_PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(
      /\/+$/,
      '',
    ),
    databaseUrl: values.DATABASE_URL,
    temporalAddress: values.TEMPORAL_ADDRESS,
    temporalNamespace: values.TEMPORAL_NAMESPACE,
    taskQueue: values.TEMPORAL_TASK_QUEUE,
    smtp: values.SMTP_URL === undefined ? undefined : parseSmtpUrl(values.SMTP_URL),
    smtpCaFile: values.SMTP_CA_FILE,
    from: parseFrom(values.PATHWELL_FROM),
    orgName: values.PATHWELL_ORG_NAME,
    orgTimeZone: values.PATHWELL_ORG_TIMEZONE,
    fixturesDir: path.resolve(values.PATHWELL_FIXTURES),
    logLevel: values.PATHWELL_LOG_LEVEL,
    masterKey: values.PATHWELL_MASTER_KEY,
    temporalUiPort: values.PATHWELL_TEMPORAL_UI_PORT,
    temporalPort: values.PATHWELL_TEMPORAL_PORT,
    compliance: complianceOf(values),
    fhirBaseUrl: values.PATHWELL_FHIR_BASE_URL?.replace(/\/+$/, ''),
    fhirToken: values.PATHWELL_FHIR_TOKEN,
    fhirMappings: parseMappings(values.PATHWELL_FHIR_MAPPINGS),
    mllpPort: mllpPortOf(values.PATHWELL_MLLP_PORT, values.PATHWELL_MODE),
    mllpHost: values.PATHWELL_MLLP_HOST,
    hookRateLimit: values.PATHWELL_HOOK_RATE_LIMIT,
    access: {
      adminEmail: values.PATHWELL_ADMIN_EMAIL,
      adminPassword: values.PATHWELL_ADMIN_PASSWORD,
      bootstrapToken: values.PATHWELL_BOOTSTRAP_TOKEN,
      sessionIdleMinutes: values.PATHWELL_SESSION_IDLE_MINUTES,
      sessionMaxHours: values.PATHWELL_SESSION_MAX_HOURS,
      signInRateLimit: values.PATHWELL_SIGN_IN_RATE_LIMIT,
      publicRateLimit: values.PATHWELL_PUBLIC_RATE_LIMIT,
      // TODO: development defaults to no passkey roles only because no UI exists yet to enrol a
      // passkey in (the first admin would be locked out of admin work); once the builder UI
      // has a passkey screen, default to `admin` in development too.
      passkeyRoles: (
        values.PATHWELL_PASSKEY_ROLES ?? (values.PATHWELL_MODE === 'production' ? 'admin' : '')
      )
        .split(',')
        .map((role) => role.trim())
        .filter((role) => role !== ''),
    },
  };
  if (config.mode === 'production') {
    assertProductionSafe(config);
  }
  return config;
}

function complianceOf(values: z.infer<typeof EnvSchema>): ComplianceConfig {
  const from = parseFrom(values.PATHWELL_FROM);
  const fromDomain = from.address.slice(from.address.lastIndexOf('@') + 1);
  return {
    orgPostalAddress:
      values.PATHWELL_ORG_POSTAL_ADDRESS ??
      `${values.PATHWELL_ORG_NAME}, 1 Main Street, Springfield`,
    unsubscribeMailto: values.PATHWELL_UNSUBSCRIBE_MAILTO ?? `unsubscribe@${fromDomain}`,
    acceptEhrAddresses: values.PATHWELL_ACCEPT_EHR_ADDRESSES,
    allowPatientAcceptedUnencrypted: values.PATHWELL_ALLOW_PATIENT_ACCEPTED_UNENCRYPTED,
    allowOpportunisticForS0: values.PATHWELL_ALLOW_OPPORTUNISTIC_S0,
    marketingFallback: values.PATHWELL_MARKETING_FALLBACK,
    forcePortal: values.PATHWELL_FORCE_PORTAL,
    portalTtlDays: values.PATHWELL_PORTAL_TTL_DAYS,
    dkimDomain: values.PATHWELL_DKIM_DOMAIN ?? fromDomain,
    dkimSelector: values.PATHWELL_DKIM_SELECTOR,
    dkimKeyFile: values.PATHWELL_DKIM_PRIVATE_KEY_FILE,
    relayBaa: values.PATHWELL_RELAY_BAA,
    relayRecipientTls: values.PATHWELL_RELAY_RECIPIENT_TLS,
    codecCorsOrigin:
      values.PATHWELL_CODEC_CORS_ORIGIN ?? `http://localhost:${values.PATHWELL_TEMPORAL_UI_PORT}`,
    deliveryMode: values.PATHWELL_DELIVERY_MODE,
    recipientProbe: values.PATHWELL_RECIPIENT_PROBE || values.PATHWELL_DELIVERY_MODE === 'direct',
    dnsServers: (values.PATHWELL_DNS_SERVERS ?? '')
      .split(',')
      .map((server) => server.trim())
      .filter((server) => server !== ''),
    sensitiveLexicon: lexiconOf(values.PATHWELL_SENSITIVE_LEXICON_FILE),
  };
}

// The MLLP listener is on by default in development (2575, the port HL7 registered for it) and
// off in production until an operator chooses where it listens.
function mllpPortOf(value: 'off' | number | undefined, mode: Mode): number | undefined {
  if (value === 'off') {
    return undefined;
  }
  return value ?? (mode === 'development' ? 2575 : undefined);
}

function parseMappings(value: string | undefined): FhirMapping[] {
  if (value === undefined) {
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new AppError(
      'config_invalid',
      'PATHWELL_FHIR_MAPPINGS must be a JSON array of mappings such as [{"resourceType":"ServiceRequest","eventType":"order.placed"}].',
      { cause: error },
    );
  }
  const parsed = z.array(FhirMappingSchema).safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new AppError('config_invalid', `PATHWELL_FHIR_MAPPINGS: ${problems.join('; ')}`);
  }
  return parsed.data;
}

// The organisation's terms add to the default list; a file that cannot be read stops start-up
// rather than leaving subjects unchecked.
function lexiconOf(file: string | undefined): readonly string[] {
  if (file === undefined) {
    return DEFAULT_SENSITIVE_LEXICON;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'config_invalid',
      `PATHWELL_SENSITIVE_LEXICON_FILE "${file}" cannot be read; give a text file with one term per line.`,
      { cause: error },
    );
  }
  return [...new Set([...DEFAULT_SENSITIVE_LEXICON, ...parseLexicon(text)])];
}

function parseFrom(value: string): { address: string; name: string } {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (match !== null) {
    return { name: (match[1] ?? '').trim(), address: match[2] ?? '' };
  }
  if (/^[^\s<>]+@[^\s<>]+$/.test(value.trim())) {
    return { name: '', address: value.trim() };
  }
  throw new AppError(
    'config_invalid',
    `PATHWELL_FROM "${value}" is not an address; write "Care team <care@example.org>".`,
  );
}

// Production must never fall back to an embedded service or send mail a network observer can
// read, so every such setting is refused before anything starts.
function assertProductionSafe(config: Config): void {
  const isRelay = config.compliance.deliveryMode === 'relay';
  const missing = [
    config.databaseUrl === undefined ? 'DATABASE_URL' : undefined,
    config.temporalAddress === undefined ? 'TEMPORAL_ADDRESS' : undefined,
    isRelay && config.smtp === undefined ? 'SMTP_URL' : undefined,
    config.masterKey === undefined ? 'PATHWELL_MASTER_KEY' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    throw new AppError(
      'config_invalid',
      `Production needs ${missing.join(', ')}: there are no embedded services in production.`,
    );
  }
  if (isRelay) {
    assertRelayCovered(config);
  }
  if (config.fhirBaseUrl !== undefined && !config.fhirBaseUrl.startsWith('https://')) {
    throw new AppError(
      'insecure_transport_config',
      `PATHWELL_FHIR_BASE_URL must be https in production; the EHR's answers hold PHI (got "${config.fhirBaseUrl}").`,
    );
  }
  if (!config.publicUrl.startsWith('https://')) {
    throw new AppError(
      'insecure_transport_config',
      `PATHWELL_PUBLIC_URL must be https in production; links in email carry tokens (got "${config.publicUrl}").`,
    );
  }
}

// AC-ARCH-4: a relay stores mail, so it must be under a BAA, and it performs the hop to the
// recipient, so it must enforce TLS there (or the organisation says it manages that itself).
function assertRelayCovered(config: Config): void {
  const { relayBaa, relayRecipientTls } = config.compliance;
  if (!relayBaa || relayRecipientTls === undefined) {
    throw new AppError(
      'insecure_transport_config',
      'The SMTP relay must be covered by a BAA and enforce TLS to recipients: set ' +
        'PATHWELL_RELAY_BAA=true and PATHWELL_RELAY_RECIPIENT_TLS=enforced (or self-managed).',
    );
  }
}
