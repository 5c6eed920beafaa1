import type { Batch } from "../data/batch.js";
import type { Rng } from "../data/rng.js";

/** A batch bound to a model: data copied once into the kernel layout, reused for every step. */
export interface Objective {
  readonly rows: number;
  /** Writes the gradient of the mean loss at `w` into `grad` and returns the mean loss. */
  lossAndGradient(w: Float64Array, grad: Float64Array): number;
  /** The mean loss only. */
  loss(w: Float64Array): number;
  /**
   * What the model reports on the bound data at `w`: the mean loss including the regulariser,
   * plus the accuracy (classifiers) or the mean squared error (regression). Reuses the bound
   * copy, so evaluating on a fixed test set every round copies it only once. NaN or infinite
   * weights give a NaN loss, never a throw.
   */
  evaluate(w: Float64Array): Evaluation;
  /** Frees kernel memory. */
  dispose(): void;
}

/** What a model reports on held-out data. */
export interface Evaluation {
  readonly loss: number;
  /** Share of correct predictions, for classifiers. */
  readonly accuracy?: number;
  /** Mean squared error, for regression. */
  readonly error?: number;
}

export type ModelKind = "svm" | "logistic" | "softmax" | "linear" | "kmeans" | "mlp";

export interface Model {
  readonly kind: ModelKind;
  /** Number of weights. */
  readonly size: number;
  /** Number of input features. */
  readonly inputDim: number;
  /** The weights a run starts from (zeros for convex models; seeded for K-means and the MLP). */
  initialWeights(rng: Rng, data?: Batch): Float64Array;
  bind(batch: Batch): Objective;
  /** One prediction per row: a score/sign for binary, a class for multi-class, a value for regression, a cluster for K-means. */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array;
  /**
   * `bind(batch).evaluate(w)` for a batch used once; a caller that evaluates the same data
   * repeatedly binds it once and calls `Objective.evaluate` instead.
   */
  evaluate(w: Float64Array, batch: Batch): Evaluation;
}
