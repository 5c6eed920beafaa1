import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { MlpModel } from "./mlp.js";
import { descentLosses, gradientError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights } from "./test-support/random-batch.js";

const kernels = referenceKernels;

describe("mlp", () => {
  it.each(["tanh", "relu"] as const)(
    "has the gradient of its loss with %s (central differences, relative 1e-6)",
    (activation) => {
      const rng = new Rng(61);
      const b = randomBatch(rng, 20, 5, { kind: "class", classes: 3 });
      const model = new MlpModel(b.dim, { kernels, hidden: 4, classes: 3, activation });
      const objective = model.bind(b);
      for (let trial = 0; trial < 3; trial++) {
        expect(gradientError(objective, model.initialWeights(rng))).toBeLessThan(1e-6);
        expect(gradientError(objective, randomWeights(rng, model.size, 1))).toBeLessThan(1e-6);
      }
    },
  );

  it("lays out W1, b1, W2, b2 and draws seeded Glorot-uniform weights with zero biases", () => {
    const model = new MlpModel(5, { kernels, hidden: 4, classes: 3 });
    expect(model.size).toBe(5 * 4 + 4 + 4 * 3 + 3);
    expect(model.layout).toEqual({ w1: 0, b1: 20, w2: 24, b2: 36, size: 39 });
    const w = model.initialWeights(new Rng(5));
    expect(Array.from(model.initialWeights(new Rng(5)))).toEqual(Array.from(w));
    expect(Array.from(model.initialWeights(new Rng(6)))).not.toEqual(Array.from(w));
    const a1 = Math.sqrt(6 / (5 + 4));
    const a2 = Math.sqrt(6 / (4 + 3));
    for (const v of w.subarray(0, 20)) expect(Math.abs(v)).toBeLessThan(a1);
    for (const v of w.subarray(24, 36)) expect(Math.abs(v)).toBeLessThan(a2);
    expect(Array.from(w.subarray(20, 24))).toEqual([0, 0, 0, 0]);
    expect(Array.from(w.subarray(36))).toEqual([0, 0, 0]);
    expect(w.subarray(0, 20).some((v) => v !== 0)).toBe(true);
  });

  it("lowers its loss under gradient steps", () => {
    const rng = new Rng(62);
    const b = randomBatch(rng, 40, 6, { kind: "class", classes: 4 });
    const model = new MlpModel(b.dim, { kernels, hidden: 8, classes: 4 });
    const losses = descentLosses(model.bind(b), model.initialWeights(rng), 0.5, 10);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1]);
  });

  it("learns XOR, which no linear model can", () => {
    const batch = {
      x: Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1),
      y: Float64Array.of(0, 1, 1, 0),
      rows: 4,
      dim: 2,
    };
    const model = new MlpModel(2, { kernels, hidden: 6, classes: 2 });
    const objective = model.bind(batch);
    const w = model.initialWeights(new Rng(63));
    const grad = new Float64Array(model.size);
    for (let step = 0; step < 3000; step++) {
      objective.lossAndGradient(w, grad);
      for (let k = 0; k < w.length; k++) w[k] -= 0.5 * grad[k];
    }
    const evaluation = model.evaluate(w, batch);
    expect(evaluation.accuracy).toBe(1);
    expect(evaluation.loss).toBeLessThan(0.05);
  });

  it("computes relu(x W1 + b1) W2 + b2 and predicts its largest output", () => {
    // W1 = W2 = identity, b1 = (0, -1), b2 = (0.5, 0): outputs (relu(x0) + 0.5, relu(x1 - 1)).
    const model = new MlpModel(2, { kernels, hidden: 2, classes: 2, activation: "relu" });
    const w = Float64Array.of(1, 0, 0, 1, 0, -1, 1, 0, 0, 1, 0.5, 0);
    const x = Float32Array.of(0, 1, 0, 2, 1, 3, -1, 1.75);
    // Outputs: (0.5, 0), (0.5, 1), (1.5, 2), (0.5, 0.75).
    expect(Array.from(model.predict(w, x, 4))).toEqual([0, 1, 1, 1]);
    const evaluation = model.evaluate(w, { x, y: Float64Array.of(0, 0, 1, 1), rows: 4, dim: 2 });
    expect(evaluation.accuracy).toBe(0.75);
    const expectedLoss =
      (Math.log1p(Math.exp(-0.5)) +
        Math.log1p(Math.exp(0.5)) +
        Math.log1p(Math.exp(-0.5)) +
        Math.log1p(Math.exp(-0.25))) /
      4;
    expect(evaluation.loss).toBeCloseTo(expectedLoss, 14);
  });

  it("rejects bad targets, options and weight lengths", () => {
    const model = new MlpModel(2, { kernels, hidden: 3, classes: 2 });
    const batch = { x: new Float32Array(4), y: Float64Array.of(0, 2), rows: 2, dim: 2 };
    expect(() => model.bind(batch)).toThrow(
      "Cannot bind mlp: target 2 at row 1 is not a class index in 0..1",
    );
    expect(() =>
      model.bind({ ...batch, y: Float64Array.of(0, 1) }).loss(new Float64Array(16)),
    ).toThrow("Cannot compute the mlp loss: expected 17 weights, got 16");
  });
});
