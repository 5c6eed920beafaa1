import type { Batch } from "../data/batch.js";
import { allFinite } from "./finite-weights.js";

/**
 * The boundary checks every model runs once per call, before any kernel sees the data, so a
 * wrong length fails with a message naming the model and the mismatch instead of reading past
 * an array or training on garbage. `action` reads as "Cannot <action>: ...", e.g. "bind svm".
 */

/** Throws unless `w` holds exactly `size` weights. */
export function checkWeights(action: string, size: number, w: Float64Array): void {
  if (w.length !== size) {
    throw new RangeError(`Cannot ${action}: expected ${size} weights, got ${w.length}`);
  }
}

/** Throws unless the gradient buffer holds exactly `size` values. */
export function checkGradientBuffer(action: string, size: number, grad: Float64Array): void {
  if (grad.length !== size) {
    throw new RangeError(
      `Cannot ${action}: expected a gradient buffer of ${size} values, got ${grad.length}`,
    );
  }
}

/** Throws unless `x` holds `rows` rows of `dim` features. */
export function checkFeatures(action: string, dim: number, x: Float32Array, rows: number): void {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new RangeError(`Cannot ${action}: rows must be a non-negative integer, got ${rows}`);
  }
  if (x.length !== rows * dim) {
    throw new RangeError(
      `Cannot ${action}: x holds ${x.length} values, expected rows x dim = ${rows} x ${dim} = ${rows * dim}`,
    );
  }
}

/**
 * The checks every `predict` starts with (weights, then features), and its answer when there is
 * nothing to compute: none for no rows, NaN per row for NaN or infinite weights. Undefined
 * otherwise: the model computes its predictions.
 */
export function trivialPrediction(
  action: string,
  model: { readonly size: number; readonly inputDim: number },
  w: Float64Array,
  x: Float32Array,
  rows: number,
): Float64Array | undefined {
  checkWeights(action, model.size, w);
  checkFeatures(action, model.inputDim, x, rows);
  if (rows === 0) return new Float64Array(0);
  if (!allFinite(w)) return new Float64Array(rows).fill(Number.NaN);
  return undefined;
}

/**
 * Throws unless `batch` has at least one row of `dim` features and, when `needsTargets`, one
 * target per row (a mean over no samples has no value).
 */
export function checkBatch(action: string, dim: number, batch: Batch, needsTargets = true): void {
  if (batch.dim !== dim) {
    throw new RangeError(`Cannot ${action}: expected ${dim} features per row, got ${batch.dim}`);
  }
  checkFeatures(action, dim, batch.x, batch.rows);
  if (batch.rows === 0) throw new RangeError(`Cannot ${action}: the batch has no rows`);
  if (needsTargets && batch.y.length !== batch.rows) {
    throw new RangeError(
      `Cannot ${action}: y holds ${batch.y.length} targets, expected one per row (${batch.rows})`,
    );
  }
}

/** Throws unless every target is +1 or -1 (binary classifiers). */
export function checkSignTargets(action: string, y: Float64Array): void {
  for (let j = 0; j < y.length; j++) {
    if (y[j] !== 1 && y[j] !== -1) {
      throw new RangeError(`Cannot ${action}: target ${y[j]} at row ${j} is not +1 or -1`);
    }
  }
}

/** Throws unless every target is a class index in 0 .. classes-1. */
export function checkClassTargets(action: string, y: Float64Array, classes: number): void {
  for (let j = 0; j < y.length; j++) {
    const c = y[j];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(
        `Cannot ${action}: target ${c} at row ${j} is not a class index in 0..${classes - 1}`,
      );
    }
  }
}

/** Throws unless every target is a finite number (regression). */
export function checkFiniteTargets(action: string, y: Float64Array): void {
  for (let j = 0; j < y.length; j++) {
    if (!Number.isFinite(y[j])) {
      throw new RangeError(`Cannot ${action}: target ${y[j]} at row ${j} is not a finite number`);
    }
  }
}

/** Throws unless a model option is an integer >= `min`. */
export function checkIntegerOption(model: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `Cannot create ${model}: ${name} must be an integer >= ${min}, got ${value}`,
    );
  }
}

/** Throws unless a regularisation weight is a finite number >= 0. */
export function checkLambda(model: string, lambda: number): void {
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new RangeError(
      `Cannot create ${model}: lambda must be a finite number >= 0, got ${lambda}`,
    );
  }
}
