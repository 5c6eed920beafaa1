import { describe, expect, it } from "vitest";
import { DEFAULT_TAU_MODES, formatTauMode, parseTauModes } from "./tau-modes.js";

describe("tau settings", () => {
  it("reads adaptive and fixed values in the order given", () => {
    expect(parseTauModes("adaptive, 1,10 ,100")).toEqual(["adaptive", 1, 10, 100]);
    expect(parseTauModes("A,3")).toEqual(["adaptive", 3]);
  });

  it("round-trips the default grid", () => {
    const text = DEFAULT_TAU_MODES.map(formatTauMode).join(",");
    expect(text).toBe("adaptive,1,2,3,5,7,10,20,30,50,70,100");
    expect(parseTauModes(text)).toEqual(DEFAULT_TAU_MODES);
  });

  it.each([
    ["0", /1\.\.100000/],
    ["-3", /positive integer/],
    ["2.5", /positive integer/],
    ["fast", /Bad tau setting "fast"/],
    ["1,,2", /Empty entry/],
    ["", /No tau settings/],
    ["5,adaptive,5", /listed twice/],
  ])("rejects %j", (text, message) => {
    expect(() => parseTauModes(text)).toThrow(message);
  });
});
