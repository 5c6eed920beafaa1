import { describe, expect, it } from "vitest";
import { isTrustFailure } from "./tls-trust.js";

const coded = (code: string) => Object.assign(new Error(code), { code });

describe("isTrustFailure", () => {
  it("is true for certificate errors, directly or as the cause", () => {
    expect(isTrustFailure(coded("SELF_SIGNED_CERT_IN_CHAIN"))).toBe(true);
    expect(
      isTrustFailure(new Error("Cannot connect", { cause: coded("ERR_TLS_CERT_ALTNAME_INVALID") })),
    ).toBe(true);
  });

  it("is false for network errors and non-errors", () => {
    expect(isTrustFailure(coded("ECONNREFUSED"))).toBe(false);
    expect(isTrustFailure(new Error("Cannot connect", { cause: coded("ETIMEDOUT") }))).toBe(false);
    expect(isTrustFailure("SELF_SIGNED_CERT_IN_CHAIN")).toBe(false);
  });
});
