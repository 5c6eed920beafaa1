import { describe, expect, it } from "vitest";
import { labelHistogram } from "./label-histogram.js";

describe("labelHistogram", () => {
  it("counts each class, over all rows or the given ones", () => {
    const labels = Float64Array.from([0, 2, 2, 1, 2]);
    expect(Array.from(labelHistogram(labels, 4))).toEqual([1, 1, 3, 0]);
    expect(Array.from(labelHistogram(labels, 3, [1, 3]))).toEqual([0, 1, 1]);
  });

  it("rejects labels outside the classes and a bad class count", () => {
    expect(() => labelHistogram([0, 3], 3)).toThrow(
      "Cannot count label 3 of sample 1: expected a class 0..2",
    );
    expect(() => labelHistogram([0.5], 3)).toThrow("Cannot count label 0.5 of sample 0");
    expect(() => labelHistogram([0], 0)).toThrow(
      "Cannot count labels into 0 classes: expected a positive integer",
    );
  });
});
