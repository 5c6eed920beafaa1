import { describe, expect, it } from "vitest";
import {
  argmaxRows,
  shareCorrect,
  softmaxCrossEntropy,
  softmaxEvaluation,
} from "./softmax-cross-entropy.js";

describe("softmaxCrossEntropy", () => {
  it("is -log of the target's softmax probability, averaged over rows", () => {
    const logits = Float64Array.of(0, 0, Math.log(2), 0);
    const y = Float64Array.of(1, 0);
    // Row 0: p = 1/2; row 1: p = 2/3.
    const expected = (Math.log(2) + Math.log(3 / 2)) / 2;
    expect(softmaxCrossEntropy(logits, y, 2, 2)).toBeCloseTo(expected, 15);
  });

  it("writes (softmax - onehot) / rows, whose rows sum to zero", () => {
    const logits = Float64Array.of(1, 2, 3, -1, 0, 5);
    const d = new Float64Array(6);
    softmaxCrossEntropy(logits, Float64Array.of(2, 0), 2, 3, d);
    for (let j = 0; j < 2; j++) expect(d[j * 3] + d[j * 3 + 1] + d[j * 3 + 2]).toBeCloseTo(0, 15);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(d[0]).toBeCloseTo(Math.exp(1) / z / 2, 15);
    expect(d[2]).toBeCloseTo((Math.exp(3) / z - 1) / 2, 15);
  });

  it("shifts by the row maximum, so huge logits stay finite, and keeps NaN visible", () => {
    expect(softmaxCrossEntropy(Float64Array.of(1e308, 1e308), Float64Array.of(0), 1, 2)).toBe(
      Math.LN2,
    );
    expect(softmaxCrossEntropy(Float64Array.of(1, Number.NaN), Float64Array.of(0), 1, 2)).toBeNaN();
  });
});

describe("argmaxRows", () => {
  it("gives the first largest index per row, and NaN for a row holding a NaN", () => {
    const logits = Float64Array.of(1, 3, 3, 5, -1, 0, 0, Number.NaN, 1);
    expect(Array.from(argmaxRows(logits, 3, 3))).toEqual([1, 0, Number.NaN]);
    expect(shareCorrect(Float64Array.of(1, 0, Number.NaN), Float64Array.of(1, 1, 2))).toBe(1 / 3);
  });
});

describe("softmaxEvaluation", () => {
  it("agrees with softmaxCrossEntropy, argmaxRows and shareCorrect, ties and NaN rows included", () => {
    const logits = Float64Array.of(1, 3, 3, 5, -1, 0, 0, Number.NaN, 1, 2, 2, 2, Number.NaN, 0, 9);
    const y = Float64Array.of(1, 0, 2, 0, 2);
    const clean = logits.subarray(0, 6);
    const evaluation = softmaxEvaluation(clean, y, 2, 3);
    expect(evaluation.loss).toBe(softmaxCrossEntropy(clean, y, 2, 3));
    expect(evaluation.accuracy).toBe(shareCorrect(argmaxRows(clean, 2, 3), y.subarray(0, 2)));
    const withNaN = softmaxEvaluation(logits, y, 5, 3);
    expect(withNaN.loss).toBeNaN();
    // Rows 0 (first of the tied largest), 1 and 3 (a three-way tie goes to class 0) are right;
    // rows 2 and 4 hold a NaN and count as wrong whatever their target.
    expect(withNaN.accuracy).toBe(shareCorrect(argmaxRows(logits, 5, 3), y));
    expect(withNaN.accuracy).toBe(3 / 5);
  });
});
