import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Batch } from "../data/batch.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel, svmAccuracyReference, svmLossAndGradientReference } from "./svm.js";
import { backends, backendTolerance } from "./test-support/backends.js";
import { descentLosses, gradientError, relativeError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights } from "./test-support/random-batch.js";

interface GoldenCase {
  X: number[][];
  y: number[];
  w: number[];
  lambda: number;
  loss: number;
  grad: number[];
  accuracy: number;
}

const golden: { cases: GoldenCase[] } = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/golden/svm_smooth.json", import.meta.url), "utf8"),
);

function goldenBatch(c: GoldenCase): Batch {
  const rows = c.X.length;
  const dim = c.X[0].length;
  return { x: Float32Array.from(c.X.flat()), y: Float64Array.from(c.y), rows, dim };
}

describe("svm reference (golden/svm_smooth.json)", () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))(
    "case %i: loss, gradient and accuracy to relative 1e-9",
    (_i, c) => {
      const b = goldenBatch(c);
      const grad = new Float64Array(b.dim);
      const loss = svmLossAndGradientReference(b.x, b.y, b.rows, b.dim, c.w, c.lambda, grad);
      expect(Math.abs(loss - c.loss)).toBeLessThanOrEqual(1e-9 * Math.abs(c.loss));
      for (let k = 0; k < b.dim; k++) {
        expect(Math.abs(grad[k] - c.grad[k])).toBeLessThanOrEqual(1e-9 * Math.abs(c.grad[k]));
      }
      const accuracy = svmAccuracyReference(b.x, b.y, b.rows, b.dim, c.w);
      expect(Math.abs(accuracy - c.accuracy)).toBeLessThanOrEqual(1e-9 * Math.abs(c.accuracy));
    },
  );
});

describe.each(backends.map((k) => [k.name, k] as const))("svm on %s kernels", (_name, kernels) => {
  const tol = backendTolerance(kernels);
  // The golden values are float64 results of the formulas: no backend is held closer than 1e-9.
  const goldenTol = Math.max(tol, 1e-9);

  it.each(golden.cases.map((c, i) => [i, c] as const))(
    "golden case %i: within the backend's tolerance of the reference",
    (_i, c) => {
      const b = goldenBatch(c);
      const model = new SvmModel(b.dim, { kernels, lambda: c.lambda });
      const w = Float64Array.from(c.w);
      const objective = model.bind(b);
      const grad = new Float64Array(b.dim);
      const loss = objective.lossAndGradient(w, grad);
      expect(Math.abs(loss - c.loss)).toBeLessThanOrEqual(goldenTol * Math.abs(c.loss));
      expect(relativeError(grad, c.grad)).toBeLessThanOrEqual(goldenTol);
      expect(Math.abs(objective.loss(w) - c.loss)).toBeLessThanOrEqual(
        goldenTol * Math.abs(c.loss),
      );
      objective.dispose();
      const evaluation = model.evaluate(w, b);
      expect(evaluation.accuracy).toBe(c.accuracy);
      expect(Math.abs(evaluation.loss - c.loss)).toBeLessThanOrEqual(goldenTol * Math.abs(c.loss));
    },
  );

  it("matches the float64 reference on larger random data", () => {
    const rng = new Rng(11);
    const b = randomBatch(rng, 300, 37, { kind: "sign" });
    const model = new SvmModel(b.dim, { kernels });
    const objective = model.bind(b);
    for (let trial = 0; trial < 3; trial++) {
      const w = randomWeights(rng, b.dim, 0.2);
      const expected = new Float64Array(b.dim);
      const expectedLoss = svmLossAndGradientReference(b.x, b.y, b.rows, b.dim, w, 0.1, expected);
      const grad = new Float64Array(b.dim);
      const loss = objective.lossAndGradient(w, grad);
      expect(Math.abs(loss - expectedLoss) / expectedLoss).toBeLessThanOrEqual(tol + 1e-12);
      expect(relativeError(grad, expected)).toBeLessThanOrEqual(tol + 1e-12);
    }
    objective.dispose();
  });

  it("predicts the score <w, x> per row", () => {
    const model = new SvmModel(2, { kernels });
    const scores = model.predict(Float64Array.of(1, -2), Float32Array.of(1, 0, 0, 1, 0.5, 0.5), 3);
    expect(Array.from(scores)).toEqual([1, -2, -0.5]);
  });
});

describe("svm model", () => {
  const kernels = referenceKernels;

  it("has the gradient of its loss (central differences, relative 1e-6)", () => {
    const rng = new Rng(1);
    const b = randomBatch(rng, 25, 6, { kind: "sign" });
    const objective = new SvmModel(b.dim, { kernels, lambda: 0.05 }).bind(b);
    for (let trial = 0; trial < 4; trial++) {
      expect(gradientError(objective, randomWeights(rng, b.dim))).toBeLessThan(1e-6);
    }
  });

  it("lowers its loss under gradient steps", () => {
    const b = randomBatch(new Rng(2), 40, 5, { kind: "sign" });
    const model = new SvmModel(b.dim, { kernels });
    const losses = descentLosses(model.bind(b), model.initialWeights(), 0.5, 10);
    expect(losses[0]).toBe(0.5);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1]);
  });

  it("starts from zero weights and defaults lambda to 0.1", () => {
    const model = new SvmModel(4, { kernels });
    expect(model.lambda).toBe(0.1);
    expect(model.size).toBe(4);
    expect(Array.from(model.initialWeights(new Rng(0)))).toEqual([0, 0, 0, 0]);
  });

  it("counts every sample in its accuracy, margin exactly 0 as wrong", () => {
    const model = new SvmModel(1, { kernels });
    // Scores for w = 1: 2, -1, 0, 3 against labels +1, +1, -1, -1: only the first is right.
    const batch = {
      x: Float32Array.of(2, -1, 0, 3),
      y: Float64Array.of(1, 1, -1, -1),
      rows: 4,
      dim: 1,
    };
    expect(model.evaluate(Float64Array.of(1), batch).accuracy).toBe(0.25);
    expect(model.evaluate(Float64Array.of(-1), batch).accuracy).toBe(0.5);
  });

  it("rejects weights, gradients and batches of the wrong size", () => {
    const model = new SvmModel(3, { kernels });
    const b = randomBatch(new Rng(3), 4, 3, { kind: "sign" });
    const objective = model.bind(b);
    expect(() => objective.loss(new Float64Array(2))).toThrow(
      "Cannot compute the svm loss: expected 3 weights, got 2",
    );
    expect(() => objective.lossAndGradient(new Float64Array(3), new Float64Array(4))).toThrow(
      "Cannot compute the svm gradient: expected a gradient buffer of 3 values, got 4",
    );
    expect(() => model.evaluate(new Float64Array(4), b)).toThrow(
      "Cannot evaluate svm: expected 3 weights, got 4",
    );
    expect(() => model.predict(new Float64Array(3), new Float32Array(5), 2)).toThrow(
      "Cannot predict with svm: x holds 5 values, expected rows x dim = 2 x 3 = 6",
    );
    expect(() => model.bind({ ...b, dim: 2 })).toThrow(
      "Cannot bind svm: expected 3 features per row, got 2",
    );
    expect(() => model.bind({ ...b, y: Float64Array.of(1, -1, 1) })).toThrow(
      "Cannot bind svm: y holds 3 targets, expected one per row (4)",
    );
    expect(() => model.bind({ ...b, y: Float64Array.of(1, -1, 0, 1) })).toThrow(
      "Cannot bind svm: target 0 at row 2 is not +1 or -1",
    );
    expect(() =>
      model.bind({ x: new Float32Array(0), y: new Float64Array(0), rows: 0, dim: 3 }),
    ).toThrow("Cannot bind svm: the batch has no rows");
    expect(() => new SvmModel(3, { kernels, lambda: -1 })).toThrow(
      "Cannot create svm: lambda must be a finite number >= 0, got -1",
    );
    objective.dispose();
    expect(() => objective.loss(new Float64Array(3))).toThrow(
      "Cannot compute the svm loss: the objective was disposed",
    );
  });
});
