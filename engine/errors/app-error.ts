import { ERROR_CODES, type ErrorCode, type ErrorKind } from './codes.js';

/** One problem found in a request or a journey: what an `issues` list of a problem body holds. */
export interface Issue {
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  field?: string;
}

/** Options for {@link AppError}. */
export interface AppErrorOptions {
  /** The error that caused this one; kept for logs, never sent to clients. */
  cause?: unknown;
  /** Every problem found, for validation errors. */
  issues?: Issue[];
  /** Extra machine-readable facts for the problem body. Never PHI. */
  details?: Record<string, unknown>;
}

/**
 * The one error class Pathwell throws on purpose.
 *
 * `message` is written for the person who must act: it names the offending id or field in quotes
 * and says what to do. It must never contain PHI, because it reaches logs and API clients.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly issues: Issue[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = ERROR_CODES[code].kind;
    this.status = ERROR_CODES[code].status;
    this.issues = options.issues;
    this.details = options.details;
  }

  /** The error as plain data, for problem bodies and Temporal failure details. */
  toJSON(): { code: ErrorCode; message: string; issues?: Issue[] } {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : {
          code: this.code,
          message: this.message,
        };
  }
}

/**
 * Whether a value is an {@link AppError}.
 *
 * Checks `name` and `code` as well as `instanceof`, because errors cross the Temporal workflow
 * sandbox and module boundaries, where `instanceof` answers false for a genuine AppError.
 */
export function isAppError(value: unknown): value is AppError {
  if (value instanceof AppError) {
    return true;
  }
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as { name?: unknown; code?: unknown };
  return (
    candidate.name === 'AppError' &&
    typeof candidate.code === 'string' &&
    candidate.code in ERROR_CODES
  );
}
