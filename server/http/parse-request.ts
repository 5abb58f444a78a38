import type { z } from 'zod';
import type { Issue } from '../../engine/errors/app-error.js';
import { AppError } from '../../engine/errors/app-error.js';

/**
 * Checks a request part against its schema and returns the parsed value, or refuses the request
 * with `request_invalid` (400) listing every problem at once.
 *
 * @param schema - the zod schema the route documents
 * @param value - `req.body`, `req.params` or `req.query`
 * @param part - which part it is, for the messages (`body`, `query`, `path`)
 */
export function parseRequest<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  part: 'body' | 'query' | 'path' | 'params',
): z.infer<TSchema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  const issues: Issue[] = parsed.error.issues.map((issue) => {
    const field = [part, ...issue.path.map(String)].join('.');
    return { code: 'request_invalid', message: `"${field}": ${issue.message}`, field };
  });
  throw new AppError(
    'request_invalid',
    `The request ${part} is not valid: ${issues.map((issue) => issue.message).join('; ')}`,
    { issues },
  );
}
