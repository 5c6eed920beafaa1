import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SoftmaxModel } from "./softmax.js";
import { descentLosses, gradientError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights } from "./test-support/random-batch.js";

const kernels = referenceKernels;

describe("softmax regression", () => {
  it.each([0, 0.1])(
    "has the gradient of its loss with lambda %d (central differences, relative 1e-6)",
    (lambda) => {
      const rng = new Rng(41);
      const b = randomBatch(rng, 30, 5, { kind: "class", classes: 4 });
      const model = new SoftmaxModel(b.dim, { kernels, classes: 4, lambda });
      const objective = model.bind(b);
      for (let trial = 0; trial < 4; trial++) {
        expect(gradientError(objective, randomWeights(rng, model.size, 1))).toBeLessThan(1e-6);
      }
    },
  );

  it("starts at loss log(classes) and lowers it under gradient steps", () => {
    const b = randomBatch(new Rng(42), 60, 6, { kind: "class", classes: 10 });
    const model = new SoftmaxModel(b.dim, { kernels });
    expect(model.classes).toBe(10);
    expect(model.size).toBe(60);
    const losses = descentLosses(model.bind(b), model.initialWeights(), 1, 10);
    expect(losses[0]).toBeCloseTo(Math.log(10), 14);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1]);
  });

  it("stores one row of weights per class and predicts the largest score", () => {
    // Row c of the weights picks feature c, so the predicted class is the largest feature.
    const model = new SoftmaxModel(3, { kernels, classes: 3 });
    const w = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    const x = Float32Array.of(0.9, 0.1, 0.2, 0, 0, 3, 0.2, 0.5, 0.1, 1, 0, 0);
    expect(Array.from(model.predict(w, x, 4))).toEqual([0, 2, 1, 0]);
    const evaluation = model.evaluate(w, { x, y: Float64Array.of(0, 2, 0, 1), rows: 4, dim: 3 });
    expect(evaluation.accuracy).toBe(0.5);
  });

  it("stays finite for logits far beyond exp's range", () => {
    const model = new SoftmaxModel(2, { kernels, classes: 2 });
    const batch = { x: Float32Array.of(1, 1), y: Float64Array.of(1), rows: 1, dim: 2 };
    const grad = new Float64Array(4);
    // Logits 2000 (class 0) and -2000 (class 1, the target): loss 4000, not Infinity.
    const loss = model.bind(batch).lossAndGradient(Float64Array.of(1000, 1000, -1000, -1000), grad);
    expect(loss).toBe(4000);
    expect(Array.from(grad)).toEqual([1, 1, -1, -1]);
  });

  it("rejects targets outside the classes and weights of the wrong length", () => {
    const model = new SoftmaxModel(2, { kernels, classes: 3 });
    const batch = { x: new Float32Array(4), y: Float64Array.of(2, 3), rows: 2, dim: 2 };
    expect(() => model.bind(batch)).toThrow(
      "Cannot bind softmax: target 3 at row 1 is not a class index in 0..2",
    );
    expect(() => model.bind({ ...batch, y: Float64Array.of(0.5, 1) })).toThrow(
      "Cannot bind softmax: target 0.5 at row 0 is not a class index in 0..2",
    );
    expect(() => model.evaluate(new Float64Array(2), batch)).toThrow(
      "Cannot evaluate softmax: expected 6 weights, got 2",
    );
    expect(() => new SoftmaxModel(2, { kernels, classes: 1 })).toThrow(
      "Cannot create softmax: classes must be an integer >= 2, got 1",
    );
  });
});
