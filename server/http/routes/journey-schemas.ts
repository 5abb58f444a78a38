import { z } from 'zod';
import { ProblemSchema } from '../problem.js';
import type { RouteResponse } from '../route.js';

/** The `:id` of a journey route. */
export const JourneyParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A journey id looks like j_AbC123…'),
});

/** One problem the validator found. */
export const IssueSchema = z.object({
  code: z.string().describe('The rule broken; the README lists the journey rules'),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  field: z.string().optional(),
});

/** A version as lists show it. */
export const VersionSummarySchema = z.object({
  id: z.string(),
  version: z.number().int(),
  planHash: z.string().describe('SHA-256 of the compiled plan'),
  publishedBy: z
    .string()
    .describe('Who published it: `user:<id>` or `token:<id>` ("anonymous" before accounts)'),
  publishedAt: z.string(),
});

/** A journey as lists show it. */
export const JourneySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['draft', 'published', 'unpublished']),
  publishedVersion: VersionSummarySchema.nullable(),
  latestVersion: z.number().int().nullable(),
  hasUnpublishedChanges: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A journey with its draft and what the validator says about the draft. */
export const JourneyDetailSchema = JourneySummarySchema.extend({
  draft: z.unknown().describe('The journey document (see GET /api/journeys/schema)'),
  issues: z.array(IssueSchema).describe('Every rule the draft breaks; empty when publishable'),
});

/** A problem response of a route, documented once. */
export function problem(description: string): RouteResponse {
  return { description, contentType: 'application/problem+json', schema: ProblemSchema };
}
