import { describe, expect, it } from "vitest";
import { roundDeadlineMs } from "./round-deadline.js";

const policy = { floorMs: 2000, capMs: 60_000, multiple: 5 };

describe("roundDeadlineMs", () => {
  it("is the cap before any cost is measured", () => {
    expect(roundDeadlineMs({ tau: 1, c: null, b: null, addedDelayMs: 0 }, policy)).toBe(60_000);
  });

  it("is a multiple of the expected round time plus the added delay, within floor and cap", () => {
    // 5 * (0.1 * 10 + 0.5) s = 7.5 s, plus 2 * 250 ms.
    expect(roundDeadlineMs({ tau: 10, c: 0.1, b: 0.5, addedDelayMs: 250 }, policy)).toBe(8000);
    expect(roundDeadlineMs({ tau: 1, c: 0.001, b: 0.001, addedDelayMs: 0 }, policy)).toBe(2000);
    expect(roundDeadlineMs({ tau: 100, c: 1, b: 1, addedDelayMs: 0 }, policy)).toBe(60_000);
  });

  it("grows with tau and with the added delay", () => {
    const at = (tau: number, delay: number) =>
      roundDeadlineMs({ tau, c: 0.05, b: 0.2, addedDelayMs: delay }, policy);
    expect(at(20, 0)).toBeGreaterThan(at(10, 0));
    expect(at(10, 1000)).toBeGreaterThan(at(10, 0));
  });
});
