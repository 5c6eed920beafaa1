import { describe, expect, it } from "vitest";
import { firstPlan, nextPlan, type RoundPlan } from "./round-plan.js";

const fits = (tau: number) => ({ tau, lastFull: false, binding: null });
const overruns = (tau: number) => ({ tau, lastFull: true, binding: "time" as const });
const minLoss = { useMinLoss: true, maxRounds: null };

describe("round plans", () => {
  it("starts with a full round 1", () => {
    expect(firstPlan(1, minLoss)).toEqual({ round: 1, tau: 1, kind: "full", lastRound: false });
  });

  it("runs the budget's tau while it fits", () => {
    const r1 = firstPlan(1, minLoss);
    expect(nextPlan(r1, fits(7), minLoss)).toEqual({
      round: 2,
      tau: 7,
      kind: "full",
      lastRound: false,
    });
  });

  it("with min-loss: last full round, then one evaluation-only round of tau 1, then stop", () => {
    const r3: RoundPlan = { round: 3, tau: 10, kind: "full", lastRound: false };
    const r4 = nextPlan(r3, overruns(6), minLoss)!;
    expect(r4).toEqual({ round: 4, tau: 6, kind: "last-full", lastRound: false });
    // Whatever the budget says after the last full round, the evaluation round follows.
    const r5 = nextPlan(r4, fits(50), minLoss)!;
    expect(r5).toEqual({ round: 5, tau: 1, kind: "evaluation", lastRound: true });
    expect(nextPlan(r5, fits(50), minLoss)).toBeNull();
  });

  it("without min-loss the last full round is the final one", () => {
    const o = { useMinLoss: false, maxRounds: null };
    const r3: RoundPlan = { round: 3, tau: 10, kind: "full", lastRound: false };
    const r4 = nextPlan(r3, overruns(6), o)!;
    expect(r4).toEqual({ round: 4, tau: 6, kind: "last-full", lastRound: true });
    expect(nextPlan(r4, fits(6), o)).toBeNull();
  });

  it("makes round maxRounds the last full one", () => {
    const o = { useMinLoss: true, maxRounds: 3 };
    const r2 = nextPlan(firstPlan(2, o), fits(2), o)!;
    expect(r2.kind).toBe("full");
    const r3 = nextPlan(r2, fits(2), o)!;
    expect(r3).toEqual({ round: 3, tau: 2, kind: "last-full", lastRound: false });
    expect(nextPlan(r3, fits(2), o)!.kind).toBe("evaluation");
    expect(firstPlan(4, { useMinLoss: false, maxRounds: 1 })).toEqual({
      round: 1,
      tau: 4,
      kind: "last-full",
      lastRound: true,
    });
  });
});
