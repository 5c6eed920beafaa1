import { describe, expect, it } from "vitest";
import { controlAccess, isLoopbackHost } from "./control-auth.js";

/**
 * docs/security.md: the dashboard's controls need the admin token whenever the server listens
 * beyond loopback (without one they are disabled there), and always when one is configured.
 */
describe("who may use the dashboard's controls", () => {
  it("counts only loopback addresses as loopback", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "", "10.77.0.2", "192.168.1.5", "fe80::1", "pi.local"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("needs the token beyond loopback, and whenever one is set", () => {
    expect(controlAccess({ beyondLoopback: true })).toBe("disabled");
    expect(controlAccess({ beyondLoopback: true, adminToken: "" })).toBe("disabled");
    expect(controlAccess({ beyondLoopback: true, adminToken: "t" })).toBe("token");
    expect(controlAccess({ beyondLoopback: false, adminToken: "t" })).toBe("token");
    expect(controlAccess({ beyondLoopback: false })).toBe("open");
  });
});
