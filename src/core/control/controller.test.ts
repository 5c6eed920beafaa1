import { describe, expect, it } from "vitest";
import type { RoundReport } from "../train/round-report.js";
import { Controller, type ControllerConfig, type RoundFacts } from "./controller.js";
import type { RoundCost } from "./round-cost.js";
import { controllerConfig } from "./test-support/controller-config.js";

const adaptive: ControllerConfig = controllerConfig();

/** Two nodes of one sample each: delta = 0.5, beta = rho = 1 from round 2 on. */
function reports(round: number, tau: number, loss = 1): RoundReport[] {
  const node = (g: number): RoundReport => ({
    round,
    weights: Float64Array.of(0, 0),
    tauDone: tau,
    localSeconds: 0.01 * tau,
    dataSize: 1,
    lossAtGlobal: loss,
    gradAtGlobal: Float64Array.of(g, 0),
    ...(round >= 2 && { beta: 1, rho: 1 }),
  });
  return [node(0.5), node(-0.5)];
}

const timeCost = (tau: number, c = 0.01, b = 0.1): RoundCost => ({
  time: { local: c * tau, aggregation: b },
});

function facts(c: Controller, over: Partial<RoundFacts> = {}): RoundFacts {
  const plan = c.plan!;
  return {
    startWeights: Float64Array.of(plan.round, 0),
    reports: reports(plan.round, plan.tau),
    fallback: false,
    cost: timeCost(plan.tau),
    ...over,
  };
}

function step(c: Controller, over: Partial<RoundFacts> = {}) {
  const r = c.afterRound(facts(c, over));
  if (!r.ok) throw new Error(r.message);
  return r.decision;
}

describe("Controller, adaptive tau", () => {
  it("runs rounds 1 and 2 at tau 1, then the search of section 3 (golden values)", () => {
    const c = Controller.create(adaptive);
    expect(c.plan).toEqual({ round: 1, tau: 1, kind: "full", lastRound: false });
    const d1 = step(c);
    expect(d1.tauChoice?.reason).toBe("first-rounds");
    expect(c.plan!.tau).toBe(1);
    const d2 = step(c);
    // golden/tau_search.json case 0: beta 1, delta 0.5, rho 1, c 0.01, b 0.1, R 15, tauPrev 1
    expect(d2.estimates).toEqual({ beta: 1, rho: 1, delta: 0.5 });
    expect(d2.tauChoice?.reason).toBe("search");
    expect(d2.tauChoice?.search?.objective).toBeCloseTo(5.541919954989008, 12);
    expect(c.plan).toEqual({ round: 3, tau: 10, kind: "full", lastRound: false });
    step(c);
    // case 2: the same with tauPrev 10
    expect(c.plan!.tau).toBe(30);
  });

  it("lets tau grow at most tenfold per round", () => {
    const c = Controller.create(adaptive);
    const taus: number[] = [];
    // delta = 0 (replicated data): the bound keeps falling with tau.
    const same = (round: number, tau: number) =>
      reports(round, tau).map((r) => ({ ...r, gradAtGlobal: Float64Array.of(1, 1) }));
    while (c.plan !== null) {
      taus.push(c.plan.tau);
      step(c, { reports: same(c.plan.round, c.plan.tau) });
    }
    expect(taus.slice(0, 5)).toEqual([1, 1, 10, 100, 100]);
    for (let i = 1; i < taus.length; i++) expect(taus[i]).toBeLessThanOrEqual(10 * taus[i - 1]);
  });

  it("runs tau 1 after a non-finite aggregate, then goes back to the tau it had", () => {
    const c = Controller.create(adaptive);
    step(c);
    step(c);
    step(c); // tau 10 ran; next 30
    expect(c.plan!.tau).toBe(30);
    const nan = step(c, { fallback: true }); // round 4 (tau 30) aggregated to NaN
    expect(nan.tauChoice?.reason).toBe("nan-fallback");
    expect(c.plan!.tau).toBe(1);
    const back = step(c);
    expect(back.tauChoice?.reason).toBe("resume");
    expect(c.plan!.tau).toBe(30);
  });

  it("keeps tau when no estimates arrive", () => {
    const c = Controller.create(adaptive);
    step(c);
    step(c, { reports: [] });
    expect(c.plan!.tau).toBe(1);
  });
});

describe("Controller, fixed tau and the stopping rule", () => {
  const fixed: ControllerConfig = { ...adaptive, tauMode: 4, budget: { time: 16 } };

  it("holds tau, shortens the last full round, adds one evaluation round, stops (hand-worked)", () => {
    // Each round of tau 4 costs 0.25 * 4 + 0.5 = 1.5. After round 10, s = 15:
    // 15 + 0.25 * 5 + 1 >= 16 -> tau = floor((16 - 15 - 1 - 0.25) / 0.25) -> clamped to 1.
    const c = Controller.create(fixed);
    const seen: string[] = [];
    while (c.plan !== null) {
      const p = c.plan;
      seen.push(`${p.tau}${p.kind === "full" ? "" : p.kind === "last-full" ? "L" : "E"}`);
      step(c, { cost: timeCost(p.tau, 0.25, 0.5) });
    }
    expect(seen).toEqual([...Array(10).fill("4"), "1L", "1E"]);
    expect(c.spent().time).toBe(16.5);
  });

  it("shortens the last round to what the budget allows", () => {
    // tau 8: a round costs 0.25 * 8 + 0.5 = 2.5. After round 5, s = 12.5:
    // 12.5 + 0.25 * 9 + 1 = 15.75 < 16 -> tau 8. After round 6, s = 15 -> clamp 1.
    // Budget 17: after round 6, s = 15: 15 + 2.25 + 1 >= 17 -> floor((17 - 15 - 1 - 0.25) / 0.25) = 3
    const c = Controller.create({ ...fixed, tauMode: 8, budget: { time: 17 } });
    const taus: number[] = [];
    while (c.plan !== null) {
      taus.push(c.plan.tau);
      step(c, { cost: timeCost(c.plan.tau, 0.25, 0.5) });
    }
    expect(taus).toEqual([8, 8, 8, 8, 8, 8, 3, 1]);
  });

  it("lets the tighter of two resources bind", () => {
    const c = Controller.create({ ...fixed, budget: { time: 100, bytes: 1000 } });
    const rounds: number[] = [];
    while (c.plan !== null) {
      rounds.push(c.plan.tau);
      // 200 bytes per aggregation, none per update: after round 2, s = 400 + 2 * 200 < 1000
      // fits; after round 3, 600 + 2 * 200 >= 1000: a last full round of tau 1 (c = 0).
      step(c, {
        cost: {
          time: { local: 0.25 * c.plan.tau, aggregation: 0.5 },
          bytes: { local: 0, aggregation: 200 },
        },
      });
    }
    expect(rounds).toEqual([4, 4, 4, 1, 1]);
    expect(c.spent()).toEqual({ time: 0.25 * 14 + 0.5 * 5, bytes: 1000 });
  });

  it("stops after maxRounds full rounds and the evaluation round", () => {
    const c = Controller.create({ ...fixed, budget: {}, maxRounds: 3 });
    const kinds: string[] = [];
    while (c.plan !== null) {
      kinds.push(c.plan.kind);
      step(c);
    }
    expect(kinds).toEqual(["full", "full", "last-full", "evaluation"]);
  });
});

describe("Controller, min-loss and state", () => {
  it("tells the next order whether the previous start was the best", () => {
    const c = Controller.create(adaptive);
    step(c, { reports: reports(1, 1, 0.5) });
    expect(c.prevGlobalWasBest).toBe(true);
    step(c, { reports: reports(2, 1, 0.6) });
    expect(c.prevGlobalWasBest).toBe(false);
    expect(Array.from(c.bestWeights()!)).toEqual([1, 0]);
    const off = Controller.create({ ...adaptive, useMinLoss: false });
    step(off);
    expect(off.prevGlobalWasBest).toBe(false);
  });

  it("changes nothing when the cost of a budgeted resource is missing", () => {
    const c = Controller.create({ ...adaptive, budget: { time: 15, bytes: 100 } });
    const before = c.snapshot();
    const r = c.afterRound(facts(c));
    expect(r).toEqual({
      ok: false,
      message: 'Round 1: The cost source gave no "bytes" cost, yet the run has a "bytes" budget',
    });
    expect(c.snapshot()).toEqual(before);
  });

  it("continues identically from a JSON copy of its state", () => {
    const a = Controller.create({ ...adaptive, gamma: 0.5 });
    for (let i = 0; i < 4; i++) step(a);
    const b = Controller.restore(
      { ...adaptive, gamma: 0.5 },
      JSON.parse(JSON.stringify(a.snapshot())),
    );
    expect(b.snapshot()).toEqual(a.snapshot());
    for (let i = 0; i < 3; i++) {
      expect(step(b)).toEqual(step(a));
    }
    expect(b.snapshot()).toEqual(a.snapshot());
  });
});
