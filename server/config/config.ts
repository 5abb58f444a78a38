import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../engine/errors/app-error.js';
import { type FhirMapping, FhirMappingSchema } from '../../engine/events/fhir/generic-mapping.js';
import { isIanaZone } from '../../engine/schedule/time-zone.js';
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
  SMTP_CA_FILE: z.string().min(1).optional(),
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
  // EHR ingestion.
  PATHWELL_FHIR_BASE_URL: z.url().optional(),
  PATHWELL_FHIR_TOKEN: z.string().min(1).optional(),
  PATHWELL_FHIR_MAPPINGS: z.string().min(2).optional(),
  PATHWELL_MLLP_PORT: z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(65_535)])
    .optional(),
  PATHWELL_MLLP_HOST: z.string().min(1).default('127.0.0.1'),
  PATHWELL_HOOK_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
});

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
    fhirBaseUrl: values.PATHWELL_FHIR_BASE_URL?.replace(/\/+$/, ''),
    fhirToken: values.PATHWELL_FHIR_TOKEN,
    fhirMappings: parseMappings(values.PATHWELL_FHIR_MAPPINGS),
    mllpPort: mllpPortOf(values.PATHWELL_MLLP_PORT, values.PATHWELL_MODE),
    mllpHost: values.PATHWELL_MLLP_HOST,
    hookRateLimit: values.PATHWELL_HOOK_RATE_LIMIT,
  };
  if (config.mode === 'production') {
    assertProductionSafe(config);
  }
  return config;
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
  const missing = [
    config.databaseUrl === undefined ? 'DATABASE_URL' : undefined,
    config.temporalAddress === undefined ? 'TEMPORAL_ADDRESS' : undefined,
    config.smtp === undefined ? 'SMTP_URL' : undefined,
    config.masterKey === undefined ? 'PATHWELL_MASTER_KEY' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    throw new AppError(
      'config_invalid',
      `Production needs ${missing.join(', ')}: there are no embedded services in production.`,
    );
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
