import { z } from 'zod';
import { lintHeaderParts } from '../../../engine/templates/header-lint.js';
import type { ServerDeps } from '../../server-deps.js';
import { parseRequest } from '../parse-request.js';
import { ProblemSchema } from '../problem.js';
import type { Route } from '../route.js';

const LintBody = z.object({
  subject: z.string().max(200),
  preheader: z.string().max(500).optional(),
  fromName: z.string().max(200).optional(),
});
const LintAnswer = z.object({
  issues: z.array(
    z.object({
      code: z.literal('phi_in_subject_detected'),
      message: z.string(),
      field: z.string(),
    }),
  ),
});

/**
 * Checks a template's header parts against the organisation's sensitive lexicon (COMPLIANCE.md
 * AC-PHI-1), for the builder and the publish step to call before a journey goes live; the send
 * activity applies the same check to every rendered message and blocks what fails it.
 *
 * TODO: publishing (the journey engine's publish route) should refuse a template with issues
 * here; until it calls this, such a template publishes and every send of it is blocked with
 * `phi_in_subject_detected`.
 */
export function templateLintRoute(deps: ServerDeps): Route {
  return {
    method: 'post',
    path: '/api/templates/lint',
    summary: "Check a template's subject, preheader and sender name for sensitive terms",
    tags: ['journeys'],
    access: 'api',
    request: { body: LintBody },
    responses: {
      200: { description: 'The issues found (none: the headers may be used)', schema: LintAnswer },
      400: {
        description: 'Invalid request',
        contentType: 'application/problem+json',
        schema: ProblemSchema,
      },
    },
    handler: async (req, res) => {
      const body = parseRequest(LintBody, req.body, 'body');
      const findings = lintHeaderParts(body, deps.config.compliance.sensitiveLexicon);
      res.json({
        issues: findings.map((finding) => ({
          code: 'phi_in_subject_detected' as const,
          message: `The ${finding.part} contains "${finding.term}", a sensitive term; headers travel unprotected, so keep it in the body.`,
          field: finding.part,
        })),
      });
    },
  };
}
