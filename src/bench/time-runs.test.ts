import { describe, expect, it } from "vitest";
import { median, timeRuns } from "./time-runs.js";

describe("median", () => {
  it("takes the middle value of an odd count and the mean of the middle two of an even one", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("does not reorder its input", () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it("refuses an empty list", () => {
    expect(() => median([])).toThrow("median of an empty list");
  });
});

describe("timeRuns", () => {
  it("calls the function warmup + runs times and returns one non-negative time per timed run", () => {
    let calls = 0;
    const ms = timeRuns(() => calls++, 7, 3);
    expect(calls).toBe(10);
    expect(ms).toHaveLength(7);
    for (const t of ms) expect(t).toBeGreaterThanOrEqual(0);
  });
});
