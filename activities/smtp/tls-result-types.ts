/**
 * RFC 8460 result types for Node's certificate verification codes, so every TLS failure in the
 * posture cache and the audit trail names one (COMPLIANCE.md AC-RPT-1).
 */
const CERT_CODES: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate-host-mismatch',
  CERT_HAS_EXPIRED: 'certificate-expired',
  CERT_NOT_YET_VALID: 'certificate-expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate-not-trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate-not-trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate-not-trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate-not-trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate-not-trusted',
  CERT_UNTRUSTED: 'certificate-not-trusted',
};

/** The RFC 8460 result type of a Node certificate error code, if it is one. */
export function certificateResultType(code: string | undefined | null): string | undefined {
  return code === undefined || code === null ? undefined : CERT_CODES[code];
}
