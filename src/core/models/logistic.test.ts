import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { LogisticModel, sigmoid, softplus } from "./logistic.js";
import { descentLosses, gradientError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights } from "./test-support/random-batch.js";

const kernels = referenceKernels;

describe("logistic regression", () => {
  it.each([0, 0.3])(
    "has the gradient of its loss with lambda %d (central differences, relative 1e-6)",
    (lambda) => {
      const rng = new Rng(21);
      const b = randomBatch(rng, 30, 6, { kind: "sign" });
      const objective = new LogisticModel(b.dim, { kernels, lambda }).bind(b);
      for (let trial = 0; trial < 4; trial++) {
        expect(gradientError(objective, randomWeights(rng, b.dim, 1))).toBeLessThan(1e-6);
      }
    },
  );

  it("starts at loss log 2 from zero weights and lowers it under gradient steps", () => {
    const b = randomBatch(new Rng(22), 50, 4, { kind: "sign" });
    const model = new LogisticModel(b.dim, { kernels });
    const losses = descentLosses(model.bind(b), model.initialWeights(), 1, 10);
    expect(losses[0]).toBeCloseTo(Math.LN2, 14);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1]);
  });

  it("reports accuracy as the share of y <w, x> > 0 and predicts the log-odds", () => {
    const model = new LogisticModel(2, { kernels, lambda: 0 });
    const w = Float64Array.of(2, 0);
    const batch = {
      x: Float32Array.of(1, 5, -1, 5, 0.5, 0, -3, 1),
      y: Float64Array.of(1, -1, 1, 1),
      rows: 4,
      dim: 2,
    };
    // Scores 2, -2, 1, -6 against labels 1, -1, 1, 1: only the last row is wrong.
    const evaluation = model.evaluate(w, batch);
    expect(evaluation.accuracy).toBe(0.75);
    const expectedLoss = (softplus(-2) + softplus(-2) + softplus(-1) + softplus(6)) / 4;
    expect(evaluation.loss).toBeCloseTo(expectedLoss, 14);
    expect(Array.from(model.predict(w, batch.x, 4))).toEqual([2, -2, 1, -6]);
  });

  it("computes log(1 + e^z) and the sigmoid without overflow", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(softplus(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });

  it("keeps a finite loss for huge scores", () => {
    const b = randomBatch(new Rng(23), 10, 3, { kind: "sign" });
    const objective = new LogisticModel(b.dim, { kernels }).bind(b);
    const grad = new Float64Array(3);
    const loss = objective.lossAndGradient(Float64Array.of(1e6, -1e6, 1e6), grad);
    expect(Number.isFinite(loss)).toBe(true);
    expect(grad.every(Number.isFinite)).toBe(true);
  });

  it("rejects non +-1 targets and weights of the wrong length", () => {
    const model = new LogisticModel(2, { kernels });
    const batch = { x: new Float32Array(4), y: Float64Array.of(1, 0), rows: 2, dim: 2 };
    expect(() => model.bind(batch)).toThrow(
      "Cannot bind logistic: target 0 at row 1 is not +1 or -1",
    );
    const objective = model.bind({ ...batch, y: Float64Array.of(1, -1) });
    expect(() => objective.lossAndGradient(new Float64Array(3), new Float64Array(2))).toThrow(
      "Cannot compute the logistic gradient: expected 2 weights, got 3",
    );
    expect(() => model.evaluate(new Float64Array(1), batch)).toThrow(
      "Cannot evaluate logistic: expected 2 weights, got 1",
    );
  });
});
