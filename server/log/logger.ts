import pino, { type Logger } from 'pino';

/** Pathwell's structured logger. Log a constant message plus metadata: ids, counts, codes. */
export type { Logger };

// Paths that can carry PHI or secrets if someone logs a whole object by mistake. Redaction is a
// second line of defence: the first is logging ids and counts only.
const REDACT_PATHS = [
  'email',
  '*.email',
  'to',
  '*.to',
  'subject',
  '*.subject',
  'text',
  '*.text',
  'html',
  '*.html',
  'body',
  '*.body',
  'patient',
  '*.patient',
  '*.name',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'response',
  '*.response',
];

/**
 * Creates the process logger: JSON lines, readable when a person watches a terminal in
 * development, and quiet (warn and above) under tests unless asked otherwise.
 *
 * @param options.level - the threshold; `PATHWELL_LOG_LEVEL` wins over it
 * @param options.name - the process role (`server`, `worker`, `start`, …)
 * @param options.destination - where lines go instead of stdout (tests that read every line
 *   a send logs); `options.level` then wins over `PATHWELL_LOG_LEVEL`
 */
export function createLogger(options: {
  level?: string;
  name: string;
  destination?: pino.DestinationStream;
}): Logger {
  if (options.destination !== undefined) {
    return pino(
      {
        name: options.name,
        level: options.level ?? 'info',
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      },
      options.destination,
    );
  }
  const level =
    process.env.PATHWELL_LOG_LEVEL ?? options.level ?? (process.env.VITEST ? 'warn' : 'info');
  const isPretty = process.stdout.isTTY === true && process.env.PATHWELL_MODE !== 'production';
  return pino({
    name: options.name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(isPretty
      ? {
          transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } },
        }
      : {}),
  });
}

/**
 * What a foreign error may say in a log: its class, code and stack frames, never its message,
 * which can echo an address or a server's answer about a recipient.
 */
export function errorFacts(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    return { errorType: typeof error };
  }
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split('\n')
    .slice(1, 6)
    .map((line) => line.trim());
  return {
    errorClass: error.name,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    frames,
  };
}
