import { describe, expect, it } from "vitest";
import { addressOf } from "./connections-per-address.js";

describe("addressOf", () => {
  it("drops the port, brackets and the IPv4-mapped prefix", () => {
    expect(addressOf("10.0.0.7:51234")).toBe("10.0.0.7");
    expect(addressOf("::ffff:127.0.0.1:40000")).toBe("127.0.0.1");
    expect(addressOf("::1:40000")).toBe("::1");
    expect(addressOf("[fe80::1]:7")).toBe("fe80::1");
  });
});
