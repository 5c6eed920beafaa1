import { describe, expect, it } from "vitest";
import { addCostSample, COST_WINDOW, type CostSamples, robustCost } from "./cost-estimate.js";

const feed = (values: number[]): CostSamples => values.reduce(addCostSample, [] as CostSamples);

describe("robustCost", () => {
  it("is null without samples, the mean of one or two, the median of three", () => {
    expect(robustCost([])).toBeNull();
    expect(robustCost([0.2])).toBe(0.2);
    expect(robustCost([0.1, 0.3])).toBeCloseTo(0.2, 15);
    expect(robustCost([0.1, 5, 0.12])).toBe(0.12);
  });

  it("drops round(n / 4) samples at each end (the interquartile mean)", () => {
    // n = 9: two at each end dropped, the mean of the middle five.
    expect(robustCost([9, 1, 2, 3, 4, 5, 6, 7, 0])).toBe(4);
    // n = 5: one at each end.
    expect(robustCost([100, 1, 2, 3, 1e-10])).toBe(2);
  });

  it("is not swung by one near-zero draw or one long wait", () => {
    const steady = [0.13, 0.12, 0.14, 0.13, 0.12, 0.14, 0.13];
    expect(robustCost(feed([...steady, 1e-10]))).toBeCloseTo(0.13, 2);
    expect(robustCost(feed([...steady, 5]))).toBeCloseTo(0.13, 2);
  });
});

describe("addCostSample", () => {
  it("keeps the latest COST_WINDOW samples", () => {
    const s = feed(Array.from({ length: 20 }, (_, i) => 1 + i / 100));
    expect(s).toHaveLength(COST_WINDOW);
    expect(s[s.length - 1]).toBe(1.19);
  });

  it("follows a jump of level within two rounds, up or down", () => {
    const base = [0.1, 0.11, 0.09, 0.1, 0.1, 0.11];
    const once = feed([...base, 1]);
    expect(robustCost(once)).toBeLessThan(0.12);
    const twice = addCostSample(once, 1.1);
    expect(twice).toEqual([1, 1.1]);
    expect(robustCost(twice)).toBeCloseTo(1.05, 12);
    expect(robustCost(feed([...base, 0.01, 0.012]))).toBeCloseTo(0.011, 12);
  });

  it("does not cut back on two samples on opposite sides", () => {
    const s = feed([0.1, 0.1, 0.1, 0.1, 1, 0.01]);
    expect(s).toHaveLength(6);
  });
});
