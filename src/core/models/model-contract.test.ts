import { describe, expect, it } from "vitest";
import type { Batch } from "../data/batch.js";
import { Rng } from "../data/rng.js";
import type { Kernels } from "../linalg/kernels.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { createModel, type ModelSpec } from "./create-model.js";
import type { Evaluation, Model } from "./model.js";
import { backends, backendTolerance } from "./test-support/backends.js";
import { relativeError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights, type TargetKind } from "./test-support/random-batch.js";

/** What every model promises behind the one interface, checked for each kind and backend. */

const dim = 7;
const specs: [ModelSpec, TargetKind][] = [
  [{ kind: "svm" }, { kind: "sign" }],
  [{ kind: "logistic", lambda: 0.01 }, { kind: "sign" }],
  [
    { kind: "softmax", classes: 4, lambda: 0.01 },
    { kind: "class", classes: 4 },
  ],
  [{ kind: "linear", lambda: 0.01 }, { kind: "real" }],
  [{ kind: "kmeans", k: 3 }, { kind: "real" }],
  [
    { kind: "mlp", hidden: 5, classes: 4 },
    { kind: "class", classes: 4 },
  ],
  [
    { kind: "mlp", hidden: 5, classes: 4, activation: "relu" },
    { kind: "class", classes: 4 },
  ],
];

/** Models that predict a real-valued score (compared within tolerance), not a class or cluster. */
const scorePredictions = new Set(["svm", "logistic", "linear"]);

/** The accuracy or error `evaluate` should report, worked out from `predict` (none for K-means). */
function expectedMetric(kind: ModelSpec["kind"], predicted: Float64Array, y: Float64Array) {
  let total = 0;
  for (let j = 0; j < y.length; j++) {
    if (kind === "svm" || kind === "logistic") total += y[j] * predicted[j] > 0 ? 1 : 0;
    else if (kind === "linear") total += (predicted[j] - y[j]) ** 2;
    else total += predicted[j] === y[j] ? 1 : 0;
  }
  if (kind === "kmeans") return {};
  return kind === "linear" ? { error: total / y.length } : { accuracy: total / y.length };
}

/** Kernels that count how often a batch is copied into the kernel layout. */
function countingKernels(kernels: Kernels): { kernels: Kernels; copies: () => number } {
  let copies = 0;
  const matrix: Kernels["matrix"] = (x, rows, cols) => {
    copies++;
    return kernels.matrix(x, rows, cols);
  };
  return { kernels: { ...kernels, matrix }, copies: () => copies };
}

function setup(spec: ModelSpec, targets: TargetKind, model: Model, seed: number) {
  const rng = new Rng(seed);
  const batch: Batch = randomBatch(rng, 64, dim, targets);
  const w =
    spec.kind === "kmeans" || spec.kind === "mlp"
      ? model.initialWeights(rng, batch)
      : randomWeights(rng, model.size, 0.3);
  return { rng, batch, w };
}

describe.each(specs.map(([s, t]) => [JSON.stringify(s), s, t] as const))(
  "model %s",
  (_name, spec, targets) => {
    const reference = createModel(spec, dim, referenceKernels);

    it.each(backends.map((k) => [k.name, k] as const))(
      "on %s kernels matches the reference backend within its tolerance",
      (_backend, kernels) => {
        const model = createModel(spec, dim, kernels);
        const { batch, w } = setup(spec, targets, model, 71);
        const tol = backendTolerance(kernels);
        const expectedGrad = new Float64Array(model.size);
        const expectedLoss = reference.bind(batch).lossAndGradient(w, expectedGrad);
        const objective = model.bind(batch);
        const grad = new Float64Array(model.size);
        const loss = objective.lossAndGradient(w, grad);
        expect(Math.abs(loss - expectedLoss)).toBeLessThanOrEqual(tol * Math.abs(expectedLoss));
        expect(relativeError(grad, expectedGrad)).toBeLessThanOrEqual(tol);
        expect(Math.abs(objective.loss(w) - expectedLoss)).toBeLessThanOrEqual(
          tol * Math.abs(expectedLoss),
        );
        const evaluation = model.evaluate(w, batch);
        expect(Math.abs(evaluation.loss - expectedLoss)).toBeLessThanOrEqual(
          tol * Math.abs(expectedLoss),
        );
        const expected = reference.evaluate(w, batch);
        expect(evaluation.accuracy).toBe(expected.accuracy);
        if (expected.error === undefined) expect(evaluation.error).toBeUndefined();
        else
          expect(relativeError([evaluation.error ?? 0], [expected.error])).toBeLessThanOrEqual(tol);
        const predicted = model.predict(w, batch.x, batch.rows);
        const expectedPredictions = reference.predict(w, batch.x, batch.rows);
        if (scorePredictions.has(spec.kind)) {
          expect(relativeError(predicted, expectedPredictions)).toBeLessThanOrEqual(tol);
        } else {
          expect(Array.from(predicted)).toEqual(Array.from(expectedPredictions));
        }
        objective.dispose();
      },
    );

    it.each(backends.map((k) => [k.name, k] as const))(
      "on %s kernels gives a NaN loss for NaN or infinite weights, without throwing",
      (_backend, kernels) => {
        const model = createModel(spec, dim, kernels);
        const { batch, w } = setup(spec, targets, model, 72);
        const objective = model.bind(batch);
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
          const poisoned = w.slice();
          poisoned[model.size - 1] = bad;
          const grad = new Float64Array(model.size);
          expect(objective.lossAndGradient(poisoned, grad)).toBeNaN();
          expect(grad.every(Number.isNaN)).toBe(true);
          expect(objective.loss(poisoned)).toBeNaN();
          expect(model.evaluate(poisoned, batch).loss).toBeNaN();
          expect(model.predict(poisoned, batch.x, batch.rows)).toHaveLength(batch.rows);
        }
        objective.dispose();
      },
    );

    it.each(backends.map((k) => [k.name, k] as const))(
      "on %s kernels evaluates a bound objective exactly as model.evaluate(w, batch) does",
      (_backend, kernels) => {
        const model = createModel(spec, dim, kernels);
        const { batch, w } = setup(spec, targets, model, 77);
        const objective = model.bind(batch);
        expect(objective.evaluate(w)).toEqual(model.evaluate(w, batch));
        objective.dispose();
      },
    );

    it.each(backends.map((k) => [k.name, k] as const))(
      "on %s kernels gives the right values over repeated evaluate() calls on one objective",
      (_backend, kernels) => {
        const model = createModel(spec, dim, kernels);
        const { rng, batch, w } = setup(spec, targets, model, 78);
        const tol = backendTolerance(kernels);
        const others = [0.1, 0.5, 2].map((scale) => {
          const v = w.slice();
          for (let k = 0; k < v.length; k++) v[k] += scale * rng.normal();
          return v;
        });
        const weights = [w, ...others, w];
        const objective = model.bind(batch);
        const grad = new Float64Array(model.size);
        const seen: Evaluation[] = [];
        for (const v of weights) {
          const evaluation = objective.evaluate(v);
          seen.push(evaluation);
          const expectedLoss = reference.bind(batch).loss(v);
          expect(Math.abs(evaluation.loss - expectedLoss)).toBeLessThanOrEqual(
            tol * Math.abs(expectedLoss),
          );
          const { accuracy, error } = expectedMetric(
            spec.kind,
            reference.predict(v, batch.x, batch.rows),
            batch.y,
          );
          expect(evaluation.accuracy).toBe(accuracy);
          if (error === undefined) expect(evaluation.error).toBeUndefined();
          else expect(relativeError([evaluation.error ?? 0], [error])).toBeLessThanOrEqual(tol);
          expect(evaluation).toEqual(model.evaluate(v, batch));
          // Training steps in between share the objective's scratch buffers.
          objective.lossAndGradient(others[0], grad);
        }
        expect(seen[weights.length - 1]).toEqual(seen[0]);
        expect(new Set(seen.map((e) => e.loss)).size).toBe(weights.length - 1);
        objective.dispose();
      },
    );

    it.each(backends.map((k) => [k.name, k] as const))(
      "on %s kernels evaluates a bound objective to a NaN loss for NaN or infinite weights",
      (_backend, kernels) => {
        const model = createModel(spec, dim, kernels);
        const { batch, w } = setup(spec, targets, model, 79);
        const objective = model.bind(batch);
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          const poisoned = w.slice();
          poisoned[0] = bad;
          const evaluation = objective.evaluate(poisoned);
          expect(evaluation.loss).toBeNaN();
          expect(evaluation).toEqual(model.evaluate(poisoned, batch));
        }
        // A NaN evaluation leaves the objective usable.
        expect(objective.evaluate(w)).toEqual(model.evaluate(w, batch));
        objective.dispose();
      },
    );

    it("copies the batch once per bind, however often the objective is evaluated", () => {
      const counting = countingKernels(referenceKernels);
      const model = createModel(spec, dim, counting.kernels);
      const { batch, w } = setup(spec, targets, model, 80);
      const objective = model.bind(batch);
      for (let i = 0; i < 5; i++) objective.evaluate(w);
      expect(counting.copies()).toBe(1);
      objective.dispose();
      model.evaluate(w, batch);
      expect(counting.copies()).toBe(2);
    });

    it("agrees between loss() and lossAndGradient(), whatever the gradient buffer held", () => {
      const { batch, w } = setup(spec, targets, reference, 73);
      const objective = reference.bind(batch);
      const grad = new Float64Array(reference.size).fill(123);
      const loss = objective.lossAndGradient(w, grad);
      const fresh = new Float64Array(reference.size);
      objective.lossAndGradient(w, fresh);
      expect(Array.from(grad)).toEqual(Array.from(fresh));
      expect(objective.loss(w)).toBeCloseTo(loss, 12);
      expect(objective.rows).toBe(batch.rows);
    });

    it("copies the batch when binding, so later changes to it do not leak in", () => {
      const { batch, w } = setup(spec, targets, reference, 74);
      const objective = reference.bind(batch);
      const before = objective.loss(w);
      batch.x.fill(0.25);
      expect(objective.loss(w)).toBe(before);
    });

    it("refuses use after dispose() and tolerates a second dispose()", () => {
      const { batch, w } = setup(spec, targets, reference, 75);
      const objective = reference.bind(batch);
      objective.dispose();
      objective.dispose();
      expect(() => objective.loss(w)).toThrow(
        `Cannot compute the ${spec.kind} loss: the objective was disposed`,
      );
      expect(() => objective.lossAndGradient(w, new Float64Array(reference.size))).toThrow(
        `Cannot compute the ${spec.kind} gradient: the objective was disposed`,
      );
      expect(() => objective.evaluate(w)).toThrow(
        `Cannot evaluate ${spec.kind}: the objective was disposed`,
      );
    });

    it("predicts nothing for no rows and rejects wrong weight lengths with exact wording", () => {
      const { batch, w } = setup(spec, targets, reference, 76);
      expect(reference.predict(w, new Float32Array(0), 0)).toHaveLength(0);
      const short = new Float64Array(reference.size - 1);
      const size = reference.size;
      expect(() => reference.evaluate(short, batch)).toThrow(
        `Cannot evaluate ${spec.kind}: expected ${size} weights, got ${size - 1}`,
      );
      expect(() => reference.bind(batch).evaluate(short)).toThrow(
        `Cannot evaluate ${spec.kind}: expected ${size} weights, got ${size - 1}`,
      );
      expect(() => reference.predict(short, batch.x, batch.rows)).toThrow(
        `Cannot predict with ${spec.kind}: expected ${size} weights, got ${size - 1}`,
      );
      expect(() => reference.bind(batch).lossAndGradient(short, new Float64Array(size))).toThrow(
        `Cannot compute the ${spec.kind} gradient: expected ${size} weights, got ${size - 1}`,
      );
      expect(() => reference.bind({ ...batch, rows: batch.rows + 1 })).toThrow(
        `Cannot bind ${spec.kind}: x holds ${batch.x.length} values, expected rows x dim = ${batch.rows + 1} x ${dim} = ${(batch.rows + 1) * dim}`,
      );
    });
  },
);
