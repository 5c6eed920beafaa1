import { describe, expect, it } from "vitest";
import { allFinite, weightedAverage } from "./weighted-average.js";

describe("weightedAverage", () => {
  it("is sum D_i w_i / D", () => {
    const w = weightedAverage(
      [
        { weights: Float64Array.of(1, 2), dataSize: 1 },
        { weights: Float64Array.of(5, -2), dataSize: 3 },
      ],
      2,
    );
    expect(Array.from(w)).toEqual([4, -1]);
  });

  it("renormalises over the updates given", () => {
    const w = weightedAverage([{ weights: Float64Array.of(5, -2), dataSize: 3 }], 2);
    expect(Array.from(w)).toEqual([5, -2]);
  });

  it("refuses updates of the wrong length and an empty round", () => {
    expect(() => weightedAverage([{ weights: Float64Array.of(1), dataSize: 1 }], 2)).toThrow(
      "Cannot average weights: expected 2 weights, got 1",
    );
    expect(() => weightedAverage([], 2)).toThrow("no updates");
  });

  it("lets overflow show as non-finite", () => {
    const big = { weights: Float64Array.of(1e308), dataSize: 2 };
    expect(allFinite(weightedAverage([big, big], 1))).toBe(false);
    expect(allFinite(Float64Array.of(0, -1e308))).toBe(true);
    expect(allFinite(Float64Array.of(0, Number.NaN))).toBe(false);
  });
});
