import type { Response } from 'express';
import { z } from 'zod';
import { AppError, isAppError } from '../../engine/errors/app-error.js';
import { ERROR_CODES } from '../../engine/errors/codes.js';

/** The RFC 9457 problem body Pathwell answers errors with, plus its stable `code`. */
export const ProblemSchema = z.object({
  type: z.string().describe('A URI naming the problem type: urn:pathwell:problem:<code>'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('What went wrong and what to do, for a person'),
  code: z.string().describe('Stable machine-readable code; the README lists them'),
  issues: z
    .array(
      z.object({
        code: z.string(),
        message: z.string(),
        nodeId: z.string().optional(),
        edgeId: z.string().optional(),
        field: z.string().optional(),
      }),
    )
    .optional(),
});
/** An RFC 9457 problem body. */
export type Problem = z.infer<typeof ProblemSchema>;

/** The problem body for an error; anything but an AppError becomes a generic 500. */
export function problemOf(error: unknown): Problem {
  const appError = isAppError(error)
    ? error
    : new AppError(
        'internal_error',
        'Pathwell failed to handle the request; the error is logged. Try again, and report it if it persists.',
      );
  const spec = ERROR_CODES[appError.code];
  return {
    type: `urn:pathwell:problem:${appError.code}`,
    title: spec.title,
    status: spec.status,
    detail: appError.message,
    code: appError.code,
    ...(appError.issues === undefined ? {} : { issues: appError.issues }),
  };
}

/** Answers with a problem body. */
export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
