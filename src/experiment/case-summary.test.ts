import { describe, expect, it } from "vitest";
import { summariseCases } from "./case-summary.js";
import { sampleCase } from "./test-support/sample-records.js";

describe("case summary", () => {
  it("compares adaptive with the best fixed tau and with tau = 1, per case", () => {
    const runs = [
      ...sampleCase(1, { 1: 0.25, 10: 0.2, 100: 0.22 }, 0.202),
      ...sampleCase(2, { 1: 0.3, 5: 0.28 }, 0.28),
    ];
    const [one, two] = summariseCases(runs);
    expect(one.case).toBe(1);
    expect(one.bestFixed?.tauMode).toBe(10);
    expect(one.ratioToBest).toBeCloseTo(1.01, 12);
    expect(one.ratioToTauOne).toBeCloseTo(0.808, 12);
    expect(two.bestFixed?.tauMode).toBe(5);
    expect(two.ratioToBest).toBe(1);
  });

  it("summarises the replicated case once per kind of minibatch streams", () => {
    const shared = sampleCase(3, { 1: 0.25, 10: 0.2 }, 0.21).map((r) => ({
      ...r,
      minibatches: "shared" as const,
    }));
    const independent = sampleCase(3, { 1: 0.3, 10: 0.35 }, 0.3).map((r) => ({
      ...r,
      minibatches: "independent" as const,
    }));
    const summaries = summariseCases([...shared, ...independent]);
    expect(summaries.map((s) => [s.case, s.minibatches, s.bestFixed?.tauMode])).toEqual([
      [3, "shared", 10],
      [3, "independent", 1],
    ]);
    expect(summaries[1].ratioToBest).toBe(1);
  });

  it("gives NaN ratios when a side is missing and skips non-finite losses", () => {
    const runs = sampleCase(3, { 2: Number.NaN, 5: 0.4 }, 0.4).filter(
      (r) => r.tauMode !== "adaptive",
    );
    const [s] = summariseCases(runs);
    expect(s.adaptive).toBeUndefined();
    expect(s.bestFixed?.tauMode).toBe(5);
    expect(s.ratioToBest).toBeNaN();
    expect(s.tauOne).toBeUndefined();
  });
});
