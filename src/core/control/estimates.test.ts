import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  aggregateEstimates,
  type EstimateReport,
  noEstimates,
  smoothEstimates,
} from "./estimates.js";

interface GoldenNode {
  dataSize: number;
  gradAtGlobal: number[];
  beta: number;
  rho: number;
}
interface GoldenCase {
  nodes: GoldenNode[];
  beta: number;
  rho: number;
  delta: number;
  globalGrad: number[];
}

const golden: { cases: GoldenCase[] } = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/golden/estimates.json", import.meta.url), "utf8"),
);

function reportOf(n: GoldenNode): EstimateReport {
  return {
    dataSize: n.dataSize,
    gradAtGlobal: Float64Array.from(n.gradAtGlobal),
    beta: n.beta,
    rho: n.rho,
  };
}

function expectClose(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(
    1e-9 * Math.max(Math.abs(expected), 1e-300),
  );
}

describe("aggregateEstimates (golden/estimates.json)", () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))(
    "case %i: beta, rho, delta and g to relative 1e-9",
    (_i, c) => {
      const e = aggregateEstimates(c.nodes.map(reportOf));
      expectClose(e.beta, c.beta);
      expectClose(e.rho, c.rho);
      expectClose(e.delta, c.delta);
      c.globalGrad.forEach((v, k) => {
        expect(Math.abs((e.globalGradient as Float64Array)[k] - v)).toBeLessThanOrEqual(
          1e-9 * Math.abs(v),
        );
      });
    },
  );
});

describe("aggregateEstimates", () => {
  const a: EstimateReport = { dataSize: 1, gradAtGlobal: Float64Array.of(0, 0), beta: 2, rho: 1 };
  const b: EstimateReport = { dataSize: 3, gradAtGlobal: Float64Array.of(4, 0), beta: 6, rho: 5 };
  const c: EstimateReport = { dataSize: 4, gradAtGlobal: Float64Array.of(0, 8) };

  it("weights by data size: g = (0*1 + 4*3)/4, delta = (1*3 + 3*1)/4", () => {
    const e = aggregateEstimates([a, b]);
    expect(Array.from(e.globalGradient!)).toEqual([3, 0]);
    expect(e.delta).toBe(1.5);
    expect(e.beta).toBe(5);
    expect(e.rho).toBe(4);
  });

  it("uses only the nodes that reported: order and absent nodes do not matter", () => {
    expect(aggregateEstimates([b, a])).toEqual(aggregateEstimates([a, b]));
  });

  it("averages beta and rho over the nodes that sent them, delta over all reports", () => {
    const e = aggregateEstimates([a, b, c]);
    expect(e.beta).toBe(5);
    expect(e.rho).toBe(4);
    // g = (12, 32) / 8 = (1.5, 4)
    expect(Array.from(e.globalGradient!)).toEqual([1.5, 4]);
    const dist = (x: number, y: number) => Math.hypot(x - 1.5, y - 4);
    expect(e.delta).toBeCloseTo((1 * dist(0, 0) + 3 * dist(4, 0) + 4 * dist(0, 8)) / 8, 14);
  });

  it("gives null beta and rho before any node has them, and nothing without reports", () => {
    expect(aggregateEstimates([c]).beta).toBeNull();
    expect(aggregateEstimates([c]).delta).toBe(0);
    expect(aggregateEstimates([])).toEqual({
      beta: null,
      rho: null,
      delta: null,
      globalGradient: null,
    });
  });
});

describe("smoothEstimates", () => {
  it("starts from the first values, then blends with gamma", () => {
    const first = smoothEstimates(
      noEstimates,
      { beta: 2, rho: 4, delta: 8, globalGradient: null },
      0.5,
    );
    expect(first).toEqual({ beta: 2, rho: 4, delta: 8 });
    const second = smoothEstimates(
      first,
      { beta: 4, rho: Number.NaN, delta: null, globalGradient: null },
      0.5,
    );
    expect(second).toEqual({ beta: 3, rho: 4, delta: 8 });
  });

  it("keeps only the latest values with gamma 0", () => {
    const s = smoothEstimates(
      { beta: 1, rho: 1, delta: 1 },
      { beta: 5, rho: 6, delta: 7, globalGradient: null },
      0,
    );
    expect(s).toEqual({ beta: 5, rho: 6, delta: 7 });
  });
});

describe("aggregateEstimates, minibatch noise taken out of delta", () => {
  const node = (g: number, gradNoise?: number) => ({
    dataSize: 1,
    gradAtGlobal: Float64Array.of(g, 0),
    ...(gradNoise === undefined ? {} : { gradNoise }),
  });

  it("subtracts (1 - p_i)^2 n_i + sum_{j != i} p_j^2 n_j from |g_i - g|^2", () => {
    // |g_i - g|^2 = 1 for both; noise 0.25 n_i + 0.25 n_j = 0.5: delta = sqrt(0.5).
    expect(aggregateEstimates([node(1, 1), node(-1, 1)]).delta).toBeCloseTo(Math.SQRT1_2, 15);
    expect(aggregateEstimates([node(1), node(-1)]).delta).toBe(1);
  });

  it("never goes below 0, and ignores noise that is not a finite number >= 0", () => {
    expect(aggregateEstimates([node(1, 100), node(-1, 100)]).delta).toBe(0);
    expect(aggregateEstimates([node(1, Number.NaN), node(-1, -3)]).delta).toBe(1);
  });
});
