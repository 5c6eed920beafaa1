import { describe, expect, it } from "vitest";
import golden from "../../../test/fixtures/golden/estimates.json" with { type: "json" };
import { nodeEstimates } from "./node-estimates.js";

function close(actual: number, expected: number): void {
  if (expected === 0) expect(actual).toBe(0);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(1e-9);
}

describe("nodeEstimates", () => {
  it("matches golden/estimates.json for every node", () => {
    let nodes = 0;
    for (const c of golden.cases) {
      for (const n of c.nodes) {
        const e = nodeEstimates({
          wPrev: Float64Array.from(n.wPrevLocal),
          wGlobal: Float64Array.from(n.wGlobal),
          gradPrev: Float64Array.from(n.gradPrevLocal),
          gradGlobal: Float64Array.from(n.gradAtGlobal),
          lossPrev: n.lossPrevLocal,
          lossGlobal: n.lossAtGlobal,
        });
        close(e.beta, n.beta);
        close(e.rho, n.rho);
        nodes++;
      }
    }
    expect(nodes).toBe(12);
  });

  const w = Float64Array.of(1, 2);
  const g = Float64Array.of(3, 4);

  it("gives beta 1e-5 and rho 0 when the two points are closer than 1e-10", () => {
    const e = nodeEstimates({
      wPrev: Float64Array.of(1, 2 + 5e-11),
      wGlobal: w,
      gradPrev: Float64Array.of(30, 40),
      gradGlobal: g,
      lossPrev: 9,
      lossGlobal: 1,
    });
    expect(e).toEqual({ beta: 1e-5, rho: 0 });
  });

  it("computes the slopes over the distance", () => {
    const e = nodeEstimates({
      wPrev: Float64Array.of(4, 6), // distance 5
      wGlobal: w,
      gradPrev: Float64Array.of(3, 14), // gradient change 10
      gradGlobal: g,
      lossPrev: 1,
      lossGlobal: 3.5,
    });
    expect(e.beta).toBe(2);
    expect(e.rho).toBe(0.5);
  });

  it("raises a tiny beta to 1e-5", () => {
    const e = nodeEstimates({
      wPrev: Float64Array.of(4, 6),
      wGlobal: w,
      gradPrev: g,
      gradGlobal: g,
      lossPrev: 1,
      lossGlobal: 1,
    });
    expect(e).toEqual({ beta: 1e-5, rho: 0 });
  });

  it("turns NaN into beta 1e-5 and rho 0", () => {
    const nan = Float64Array.of(Number.NaN, 0);
    expect(
      nodeEstimates({
        wPrev: nan,
        wGlobal: w,
        gradPrev: g,
        gradGlobal: g,
        lossPrev: 1,
        lossGlobal: 2,
      }),
    ).toEqual({ beta: 1e-5, rho: 0 });
    expect(
      nodeEstimates({
        wPrev: Float64Array.of(4, 6),
        wGlobal: w,
        gradPrev: nan,
        gradGlobal: g,
        lossPrev: Number.NaN,
        lossGlobal: 2,
      }),
    ).toEqual({ beta: 1e-5, rho: 0 });
  });

  it("refuses vectors of different lengths", () => {
    expect(() =>
      nodeEstimates({
        wPrev: Float64Array.of(1),
        wGlobal: w,
        gradPrev: g,
        gradGlobal: g,
        lossPrev: 1,
        lossGlobal: 1,
      }),
    ).toThrow(
      "Cannot estimate beta and rho: wPrev, wGlobal, gradPrev and gradGlobal must have one length, got 1, 2, 2, 2",
    );
  });
});
