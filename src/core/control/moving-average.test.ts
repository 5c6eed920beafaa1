import { describe, expect, it } from "vitest";
import { movingAverage } from "./moving-average.js";

describe("movingAverage", () => {
  it("starts from the first value", () => {
    expect(movingAverage(null, 3, 0.9)).toBe(3);
  });

  it("blends gamma of the average with 1 - gamma of the new value", () => {
    expect(movingAverage(2, 4, 0.75)).toBe(2.5);
  });

  it("is the latest value with gamma 0", () => {
    expect(movingAverage(2, 7, 0)).toBe(7);
  });

  it("never lets NaN, Infinity or a missing value in", () => {
    expect(movingAverage(2, Number.NaN, 0.5)).toBe(2);
    expect(movingAverage(2, Number.POSITIVE_INFINITY, 0.5)).toBe(2);
    expect(movingAverage(2, null, 0.5)).toBe(2);
    expect(movingAverage(null, Number.NaN, 0.5)).toBeNull();
  });
});
