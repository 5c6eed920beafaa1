import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { LinearRegressionModel } from "./linear-regression.js";
import { descentLosses, gradientError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights } from "./test-support/random-batch.js";

const kernels = referenceKernels;

describe("linear regression", () => {
  it.each([0, 0.2])(
    "has the gradient of its loss with lambda %d (central differences, relative 1e-6)",
    (lambda) => {
      const rng = new Rng(31);
      const b = randomBatch(rng, 30, 5, { kind: "real" });
      const objective = new LinearRegressionModel(b.dim, { kernels, lambda }).bind(b);
      for (let trial = 0; trial < 4; trial++) {
        expect(gradientError(objective, randomWeights(rng, b.dim, 1))).toBeLessThan(1e-6);
      }
    },
  );

  it("has zero loss, error and gradient at the weights that generated the targets", () => {
    const rng = new Rng(32);
    const b = randomBatch(rng, 20, 3, { kind: "real" });
    const truth = Float64Array.of(0.5, -1.25, 2);
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += b.x[j * 3 + k] * truth[k];
      b.y[j] = s;
    }
    const model = new LinearRegressionModel(3, { kernels });
    const grad = new Float64Array(3);
    expect(model.bind(b).lossAndGradient(truth, grad)).toBeLessThan(1e-28);
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-14);
    expect(model.evaluate(truth, b).error).toBeLessThan(1e-28);
  });

  it("reports the mean squared error and half of it as the unregularised loss", () => {
    const model = new LinearRegressionModel(1, { kernels });
    const batch = { x: Float32Array.of(1, 2, 3), y: Float64Array.of(1, 1, 1), rows: 3, dim: 1 };
    // Predictions 1, 2, 3 against 1: residuals 0, 1, 2.
    const evaluation = model.evaluate(Float64Array.of(1), batch);
    expect(evaluation.error).toBeCloseTo(5 / 3, 15);
    expect(evaluation.loss).toBeCloseTo(5 / 6, 15);
    expect(evaluation.accuracy).toBeUndefined();
    expect(Array.from(model.predict(Float64Array.of(2), batch.x, 3))).toEqual([2, 4, 6]);
    const ridge = new LinearRegressionModel(1, { kernels, lambda: 0.5 });
    expect(ridge.evaluate(Float64Array.of(1), batch).loss).toBeCloseTo(5 / 6 + 0.25, 15);
  });

  it("lowers its loss under gradient steps", () => {
    const b = randomBatch(new Rng(33), 40, 4, { kind: "real" });
    const model = new LinearRegressionModel(b.dim, { kernels, lambda: 0.01 });
    const losses = descentLosses(model.bind(b), model.initialWeights(), 0.5, 10);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1]);
  });

  it("rejects non-finite targets and weights of the wrong length", () => {
    const model = new LinearRegressionModel(1, { kernels });
    const batch = { x: Float32Array.of(1, 2), y: Float64Array.of(1, Number.NaN), rows: 2, dim: 1 };
    expect(() => model.bind(batch)).toThrow(
      "Cannot bind linear: target NaN at row 1 is not a finite number",
    );
    expect(() => model.predict(new Float64Array(2), batch.x, 2)).toThrow(
      "Cannot predict with linear: expected 1 weights, got 2",
    );
  });
});
