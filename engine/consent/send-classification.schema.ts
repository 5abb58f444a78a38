import { z } from 'zod';

/**
 * What a refill reminder declares (COMPLIANCE.md AC-CLS-1): the drug it is about and what the
 * organisation is paid for sending it. Only `none` and `cost_related` keep it treatment.
 */
export const RefillDeclarationSchema = z.object({
  drugRef: z.string().min(1).max(200),
  remuneration: z.enum(['none', 'cost_related', 'other']),
});

/** The marketing programme a send belongs to: an authorization must cover it (AC-AUTH-5). */
export const CampaignSchema = z.object({
  program: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_-]{0,63}$/,
      'A programme is a short lower-case slug, e.g. wellness-2026',
    ),
  sponsor: z.string().min(1).max(100).optional(),
});

/**
 * The members of a send node that classify it under 45 CFR 164.501, beside its purpose. They
 * are optional in the document; the validator requires `refill` on refill journeys and
 * `campaign` on marketing sends.
 */
export const SendClassificationShape = {
  refill: RefillDeclarationSchema.optional(),
  /** A third party pays the organisation for this communication: it is marketing (AC-CLS-3). */
  thirdPartyRemuneration: z.boolean().optional(),
  campaign: CampaignSchema.optional(),
};
