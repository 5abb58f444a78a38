import { z } from 'zod';

/**
 * Why a message is sent; it decides which consent rules apply (COMPLIANCE.md §2.1).
 * COMPLIANCE.md's `hco` is Pathwell's `operations`.
 */
export const PURPOSES = ['treatment', 'operations', 'marketing'] as const;
export const PurposeSchema = z.enum(PURPOSES);
/** Why a message is sent. */
export type Purpose = z.infer<typeof PurposeSchema>;

/** What a send node asks for; the method actually used is decided at send time. */
export const PROTECTION_POLICIES = ['auto', 'tls_required', 'portal', 'pgp_preferred'] as const;
export const ProtectionPolicySchema = z.enum(PROTECTION_POLICIES);
/** What a send node asks for. */
export type ProtectionPolicy = z.infer<typeof ProtectionPolicySchema>;

/**
 * How sensitive a message is (COMPLIANCE.md): S0 no PHI, S1 minimal (name, date, time,
 * location), S2 clinical, S3 specially protected.
 */
export const SENSITIVITIES = ['S0', 'S1', 'S2', 'S3'] as const;
export const SensitivitySchema = z.enum(SENSITIVITIES);
/** How sensitive a message is. */
export type Sensitivity = z.infer<typeof SensitivitySchema>;

/** The higher of two sensitivity classes. */
export function maxSensitivity(a: Sensitivity, b: Sensitivity): Sensitivity {
  return SENSITIVITIES.indexOf(a) >= SENSITIVITIES.indexOf(b) ? a : b;
}

/** Units of a duration. Minutes and hours are elapsed time; days are calendar days locally. */
export const DURATION_UNITS = ['minutes', 'hours', 'days'] as const;

/** A length of time, as designers write it. */
export const DurationSchema = z.object({
  amount: z.number().int().min(0).max(100_000),
  unit: z.enum(DURATION_UNITS),
});
/** A length of time, as designers write it. */
export type Duration = z.infer<typeof DurationSchema>;

/** A local time of day, `HH:mm`, 24-hour clock. */
export const LocalTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write a local time as HH:mm on a 24-hour clock');
