import { describe, expect, it } from "vitest";
import type { RoundCostInput } from "../core/federation/cost-source.js";
import type { RoundReport } from "../core/train/round-report.js";
import { MIN_SIMULATED_SECONDS, simulatedCosts } from "./simulated-costs.js";

function input(...tauDone: number[]): RoundCostInput {
  const reports: RoundReport[] = tauDone.map((t) => ({
    round: 1,
    weights: new Float64Array(1),
    tauDone: t,
    localSeconds: 123, // must be ignored
    dataSize: 1,
    lossAtGlobal: 0,
    gradAtGlobal: new Float64Array(1),
  }));
  return { round: 1, tau: Math.max(0, ...tauDone), reports, wallSeconds: 456 };
}

function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

describe("simulatedCosts", () => {
  it("is reproducible by seed", () => {
    const run = (seed: number) => {
      const costs = simulatedCosts({ seed });
      return [1, 1, 7, 30, 2].map((tau) => costs.roundCost(input(tau, tau)));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    expect(simulatedCosts({ seed: 3 }).kind).toBe("simulated");
  });

  it("ignores the measured times", () => {
    const a = simulatedCosts({ seed: 9 }).roundCost(input(3));
    const b = simulatedCosts({ seed: 9 }).roundCost({ ...input(3), wallSeconds: 0.001 });
    expect(a).toEqual(b);
  });

  it("draws around the configured means (the authors' defaults)", () => {
    const costs = simulatedCosts({ seed: 1 });
    const local: number[] = [];
    const global: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const c = costs.roundCost(input(1, 1, 1));
      local.push(c.time.local);
      global.push(c.time.aggregation);
    }
    const l = meanAndStd(local);
    const g = meanAndStd(global);
    // The clamp at 1e-10 lifts the local mean by about 0.6%: 0.01308 for N(0.0130, 0.0069).
    expect(l.mean).toBeGreaterThan(0.013 * 0.98);
    expect(l.mean).toBeLessThan(0.013 * 1.03);
    expect(l.std).toBeGreaterThan(0.0069 * 0.9);
    expect(l.std).toBeLessThan(0.0069 * 1.05);
    expect(Math.abs(g.mean / 0.1316 - 1)).toBeLessThan(0.02);
    expect(Math.abs(g.std / 0.0539 - 1)).toBeLessThan(0.05);
  });

  it("sums one draw per local update, over the most updates any node did", () => {
    const costs = simulatedCosts({ seed: 2, localStd: 0, globalStd: 0 });
    const c = costs.roundCost(input(3, 10, 7));
    expect(c.time.local).toBeCloseTo(10 * 0.013, 12);
    expect(c.time.aggregation).toBe(0.1316);
    expect(costs.roundCost(input()).time.local).toBe(0);
  });

  it("per-node: the slowest node's sum over its own updates", () => {
    const exact = simulatedCosts({ seed: 2, localStd: 0, localDraws: "per-node" });
    expect(exact.roundCost(input(3, 10, 7)).time.local).toBeCloseTo(10 * 0.013, 12);
    // With noise, a maximum over 5 nodes lies above the shared draw on average.
    const shared = simulatedCosts({ seed: 5 });
    const perNode = simulatedCosts({ seed: 5, localDraws: "per-node" });
    let sumShared = 0;
    let sumPerNode = 0;
    for (let i = 0; i < 2000; i++) {
      sumShared += shared.roundCost(input(1, 1, 1, 1, 1)).time.local;
      sumPerNode += perNode.roundCost(input(1, 1, 1, 1, 1)).time.local;
    }
    expect(sumPerNode / sumShared).toBeGreaterThan(1.3);
  });

  it("never gives a time <= 0, even when most draws fall below zero", () => {
    const costs = simulatedCosts({
      seed: 7,
      localMean: 0.001,
      localStd: 1,
      globalMean: 0,
      globalStd: 1,
    });
    let clamped = 0;
    for (let i = 0; i < 5000; i++) {
      const { local, aggregation } = costs.roundCost(input(1)).time;
      expect(local).toBeGreaterThan(0);
      expect(aggregation).toBeGreaterThan(0);
      if (aggregation === MIN_SIMULATED_SECONDS) clamped++;
    }
    expect(clamped).toBeGreaterThan(2000);
  });

  it("multiplies mean and std by the scale factors", () => {
    const base = simulatedCosts({ seed: 11 });
    const scaled = simulatedCosts({ seed: 11, localScale: 2, globalScale: 0.5 });
    for (let i = 0; i < 200; i++) {
      const a = base.roundCost(input(4)).time;
      const b = scaled.roundCost(input(4)).time;
      if (a.local > 4 * MIN_SIMULATED_SECONDS) {
        // A clamped draw among the 4 stays 1e-10, unscaled: hence 6 digits, not 15.
        expect(b.local / a.local).toBeCloseTo(2, 6);
      }
      if (a.aggregation > MIN_SIMULATED_SECONDS) {
        expect(b.aggregation / a.aggregation).toBeCloseTo(0.5, 10);
      }
    }
  });

  it("passes counted bytes through", () => {
    const c = simulatedCosts({ seed: 1 }).roundCost({ ...input(2), bytes: 1000 });
    expect(c.bytes).toEqual({ local: 0, aggregation: 1000 });
    expect(simulatedCosts({ seed: 1 }).roundCost(input(2)).bytes).toBeUndefined();
  });

  it("refuses negative or non-finite parameters", () => {
    expect(() => simulatedCosts({ seed: 1, localStd: -1 })).toThrow(
      "Cannot simulate costs: localStd must be a finite number >= 0, got -1",
    );
    expect(() => simulatedCosts({ seed: 1, globalScale: Number.NaN })).toThrow("globalScale");
  });
});
