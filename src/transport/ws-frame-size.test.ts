import { describe, expect, it } from "vitest";
import { wsFrameBytes } from "./ws-frame-size.js";

describe("wsFrameBytes", () => {
  it("adds the RFC 6455 header to the payload", () => {
    expect(wsFrameBytes(0, false)).toBe(2);
    expect(wsFrameBytes(125, false)).toBe(127);
    expect(wsFrameBytes(126, false)).toBe(130);
    expect(wsFrameBytes(65_535, false)).toBe(65_539);
    expect(wsFrameBytes(65_536, false)).toBe(65_546);
    expect(wsFrameBytes(10, true)).toBe(16);
    expect(wsFrameBytes(65_536, true)).toBe(65_550);
  });
});
