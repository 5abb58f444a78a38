import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/** Codes a step either side of now are accepted (RFC 6238 §5.2: allow for clock drift). */
const TOLERANCE_SECONDS = 30;

/** How many recovery codes a user gets when TOTP is turned on. */
export const RECOVERY_CODE_COUNT = 10;

const BASE32 = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A fresh TOTP secret (base32, 160 bits) and the `otpauth://` URI authenticator apps scan. */
export function newTotpSecret(label: string): { secret: string; uri: string } {
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer: 'Pathwell', label, secret }) };
}

/** The time step a six-digit code is valid for, or undefined when it is not valid now. */
export async function totpStepOf(secret: string, code: string): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) {
    return undefined;
  }
  const result = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS });
  return result.valid && 'timeStep' in result ? Number(result.timeStep) : undefined;
}

/** Fresh recovery codes, `xxxx-xxxx-xxxx` (60 bits each), unambiguous letters and digits. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const letters = [...bytes].map((byte) => BASE32[byte % BASE32.length]).join('');
    return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8, 12)}`;
  });
}

/** Whether a string has the shape of a recovery code. */
export function isRecoveryCodeShape(code: string): boolean {
  return /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/.test(code.trim().toLowerCase());
}
