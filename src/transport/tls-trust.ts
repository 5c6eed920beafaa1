/**
 * TLS errors that say the aggregator's certificate is not to be trusted (unknown or wrong CA,
 * self-signed, expired, another host's name): trying again cannot help, so the node exits
 * non-zero instead of reconnecting (docs/security.md). Network errors are not among them.
 */
const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Whether a connection error (or its cause) is a certificate the node must not trust. */
export function isTrustFailure(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNTRUSTED.has(code)) return true;
    e = e.cause;
  }
  return false;
}
