import { describe, expect, it } from "vitest";
import { checkNodeName, defaultNodeName } from "./default-node-name.js";

describe("defaultNodeName", () => {
  it("is HOST-PID with characters outside [A-Za-z0-9._-] replaced", () => {
    expect(defaultNodeName("pi-kitchen", 4312)).toBe("pi-kitchen-4312");
    expect(defaultNodeName("Mac Book (2)", 7)).toBe("Mac-Book--2--7");
    expect(defaultNodeName("", 7)).toBe("node-7");
  });

  it("fits 64 characters and is a valid name", () => {
    const name = defaultNodeName("h".repeat(100), 123456);
    expect(name).toHaveLength(64);
    expect(name.endsWith("-123456")).toBe(true);
    expect(checkNodeName(name)).toBe(name);
  });
});

describe("checkNodeName", () => {
  it("says what a name may be", () => {
    expect(() => checkNodeName("pi kitchen")).toThrow(
      'Invalid node name "pi kitchen": use 1 to 64 characters from A-Z a-z 0-9 . _ -',
    );
    expect(() => checkNodeName("")).toThrow('Invalid node name ""');
  });
});
