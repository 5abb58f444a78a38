import type { z } from 'zod';
import { AppError } from '../../engine/errors/app-error.js';

/**
 * Validates a request part with its zod schema and collects every problem at once.
 *
 * @throws AppError `request_invalid` (400) with one issue per problem, naming the field
 */
export function parseRequest<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  part: 'body' | 'query' | 'params',
): z.infer<TSchema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  const issues = parsed.error.issues.map((issue) => ({
    code: 'request_invalid',
    message: `${[part, ...issue.path].join('.')}: ${issue.message}`,
    field: [part, ...issue.path].join('.'),
  }));
  throw new AppError(
    'request_invalid',
    `Fix the request ${part}: ${issues.map((issue) => issue.message).join('; ')}`,
    { issues },
  );
}
