import { describe, expect, it } from "vitest";
import type { RoundReport } from "../train/round-report.js";
import { checkReport } from "./report-validation.js";

const expectation = { round: 4, tau: 10, modelSize: 3 };

const good: RoundReport = {
  round: 4,
  weights: Float64Array.of(1, 2, 3),
  tauDone: 10,
  localSeconds: 0.5,
  dataSize: 100,
  lossAtGlobal: 0.3,
  gradAtGlobal: Float64Array.of(0.1, 0.2, 0.3),
  beta: 2,
  rho: 1,
  lossAtBest: 0.25,
};

const check = (over: Partial<RoundReport>) => checkReport("n3", { ...good, ...over }, expectation);

describe("checkReport", () => {
  it("accepts a good report, with or without the optional fields", () => {
    expect(checkReport("n3", good, expectation)).toEqual({ ok: true });
    const { beta: _b, rho: _r, lossAtBest: _l, ...bare } = good;
    expect(checkReport("n3", bare, expectation)).toEqual({ ok: true });
  });

  it.each([
    [{ weights: Float64Array.of(1, 2) }, "expected 3 weights, got 2"],
    [{ gradAtGlobal: Float64Array.of(1, 2, 3, 4) }, "expected 3 gradient values, got 4"],
    [{ round: 3 }, "the report is for round 3, expected round 4"],
    [{ tauDone: 11 }, "tauDone 11 is outside 1..10"],
    [{ tauDone: 0 }, "tauDone 0 is outside 1..10"],
    [{ tauDone: 2.5 }, "tauDone 2.5 is outside 1..10"],
    [{ dataSize: 0 }, "data size must be an integer >= 1, got 0"],
    [{ localSeconds: -1 }, "local time must be a finite number >= 0, got -1"],
    [{ beta: Number.NaN }, "beta must be a finite number >= 0, got NaN"],
    [{ rho: -2 }, "rho must be a finite number >= 0, got -2"],
  ] as const)("refuses a malformed report: %o", (over, why) => {
    expect(check(over)).toEqual({
      ok: false,
      message: `Cannot aggregate update from "n3": ${why}`,
      nonFinite: false,
    });
  });

  it.each([
    [{ weights: Float64Array.of(1, Number.NaN, 3) }, "weight 1 is NaN"],
    [{ weights: Float64Array.of(1, 2, Number.NEGATIVE_INFINITY) }, "weight 2 is -Infinity"],
    [{ lossAtGlobal: Number.NaN }, "lossAtGlobal is NaN"],
    [{ lossAtBest: Number.POSITIVE_INFINITY }, "lossAtBest is Infinity"],
    [{ gradAtGlobal: Float64Array.of(Number.NaN, 0, 0) }, "gradient value 0 is NaN"],
  ] as const)("flags non-finite numbers as divergence: %o", (over, why) => {
    expect(check(over)).toEqual({
      ok: false,
      message: `Cannot aggregate update from "n3": ${why}`,
      nonFinite: true,
    });
  });

  it("words a length mismatch exactly", () => {
    const r = checkReport(
      "n3",
      { ...good, weights: new Float64Array(783), gradAtGlobal: new Float64Array(784) },
      { round: 4, tau: 10, modelSize: 784 },
    );
    expect(r).toMatchObject({
      message: 'Cannot aggregate update from "n3": expected 784 weights, got 783',
    });
  });
});
