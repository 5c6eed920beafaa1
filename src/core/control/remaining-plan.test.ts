import { describe, expect, it } from "vitest";
import type { ResourcePlanCosts } from "./budget-ledger.js";
import { planRemaining } from "./remaining-plan.js";

const time = (spent: number, c = 0.25, b = 0.5, budget = 16): ResourcePlanCosts => ({
  name: "time",
  budget,
  spent,
  c,
  b,
});

describe("planRemaining (whole rounds of what is left)", () => {
  // tau 4: a round costs 0.25 * 4 + 0.5 = 1.5; the evaluation round is set aside: 0.75.
  it("runs tau while two rounds of it fit beside the evaluation round", () => {
    // usable = 16 - 12 - 0.75 = 3.25 >= 2 * 1.5
    expect(planRemaining({ resources: [time(12)], tau: 4, useMinLoss: true })).toEqual({
      tau: 4,
      lastFull: false,
      binding: null,
    });
  });

  it("makes the next round the last full one when only one more fits", () => {
    // usable = 16 - 13 - 0.75 = 2.25: one round of 1.5
    expect(planRemaining({ resources: [time(13)], tau: 4, useMinLoss: true })).toEqual({
      tau: 4,
      lastFull: true,
      binding: "time",
    });
  });

  it("shortens the last full round to the updates that fit", () => {
    // usable = 16 - 14 - 0.75 = 1.25: 0.5 for b, 0.75 for three updates
    expect(planRemaining({ resources: [time(14)], tau: 4, useMinLoss: true })).toEqual({
      tau: 3,
      lastFull: true,
      binding: "time",
    });
  });

  it("goes straight to the evaluation round when not one update fits", () => {
    // usable = 16 - 14.6 - 0.75 = 0.65: b alone is 0.5, no update of 0.25 fits
    expect(planRemaining({ resources: [time(14.6)], tau: 4, useMinLoss: true })).toEqual({
      tau: 1,
      lastFull: true,
      binding: "time",
      evaluateNow: true,
    });
  });

  it("sets nothing aside without the min-loss rule", () => {
    // usable = 16 - 13 = 3 = 2 * 1.5
    expect(planRemaining({ resources: [time(13)], tau: 4, useMinLoss: false }).lastFull).toBe(
      false,
    );
  });

  it("lets the tightest resource decide and names it", () => {
    const bytes: ResourcePlanCosts = { name: "bytes", budget: 1000, spent: 700, c: 0, b: 100 };
    // time fits many rounds; bytes: usable = 1000 - 700 - 100 = 200 -> two rounds: fits.
    expect(planRemaining({ resources: [time(0), bytes], tau: 4, useMinLoss: true }).lastFull).toBe(
      false,
    );
    const more = { ...bytes, spent: 750 };
    expect(planRemaining({ resources: [time(0), more], tau: 4, useMinLoss: true })).toEqual({
      tau: 4,
      lastFull: true,
      binding: "bytes",
    });
  });
});
