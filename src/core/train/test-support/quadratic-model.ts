import type { Batch } from "../../data/batch.js";
import type { Evaluation, Model, Objective } from "../../models/model.js";

/** One evaluation an objective of the quadratic test model performed. */
export interface EvaluationRecord {
  /** Which bind() made the objective (0, 1, ...). */
  readonly bindId: number;
  readonly kind: "lossAndGradient" | "loss";
  /** The weights it was evaluated at (copied). */
  readonly w: Float64Array;
}

/** A test model that records what it is asked, so tests can see which samples a step used. */
export interface QuadraticTestModel extends Model {
  /** The targets (used here as sample ids) of the rows each bind() received, by bind id. */
  readonly binds: number[][];
  readonly evaluations: EvaluationRecord[];
  readonly disposed: Set<number>;
}

/**
 * F(w) = mean_j 1/2 |w - x_j|^2, gradient w - mean_j x_j: a loss with Hessian I, so beta_i is
 * exactly 1 when both gradients come from the same samples and something else when they do not.
 * Targets are ignored by the loss: tests put sample ids there. NaN weights give NaN, no throw.
 */
export function quadraticTestModel(dim: number): QuadraticTestModel {
  const binds: number[][] = [];
  const evaluations: EvaluationRecord[] = [];
  const disposed = new Set<number>();

  function bind(batch: Batch): Objective {
    const bindId = binds.length;
    binds.push(Array.from(batch.y));
    const mean = new Float64Array(dim);
    for (let j = 0; j < batch.rows; j++) {
      for (let k = 0; k < dim; k++) mean[k] += batch.x[j * dim + k];
    }
    for (let k = 0; k < dim; k++) mean[k] /= batch.rows;
    // mean_j |w - x_j|^2 = |w - mean|^2 + mean_j |x_j - mean|^2
    let spread = 0;
    for (let j = 0; j < batch.rows; j++) {
      for (let k = 0; k < dim; k++) spread += (batch.x[j * dim + k] - mean[k]) ** 2;
    }
    spread /= batch.rows;
    const loss = (w: Float64Array): number => {
      let s = spread;
      for (let k = 0; k < dim; k++) s += (w[k] - mean[k]) ** 2;
      return s / 2;
    };
    return {
      rows: batch.rows,
      lossAndGradient(w, grad) {
        if (disposed.has(bindId)) throw new Error(`objective ${bindId} used after dispose()`);
        evaluations.push({ bindId, kind: "lossAndGradient", w: w.slice() });
        for (let k = 0; k < dim; k++) grad[k] = w[k] - mean[k];
        return loss(w);
      },
      loss(w) {
        if (disposed.has(bindId)) throw new Error(`objective ${bindId} used after dispose()`);
        evaluations.push({ bindId, kind: "loss", w: w.slice() });
        return loss(w);
      },
      evaluate(w) {
        if (disposed.has(bindId)) throw new Error(`objective ${bindId} used after dispose()`);
        return { loss: loss(w) };
      },
      dispose() {
        disposed.add(bindId);
      },
    };
  }

  return {
    // The Model union has no "test" kind; this is a least-squares model, so "linear" fits best.
    kind: "linear",
    size: dim,
    inputDim: dim,
    binds,
    evaluations,
    disposed,
    initialWeights: () => new Float64Array(dim),
    bind,
    predict: (w, x, rows) => {
      const out = new Float64Array(rows);
      for (let j = 0; j < rows; j++) {
        for (let k = 0; k < dim; k++) out[j] += w[k] * x[j * dim + k];
      }
      return out;
    },
    evaluate: (w, batch): Evaluation => {
      const o = bind(batch);
      const e = { loss: o.loss(w) };
      o.dispose();
      return e;
    },
  };
}

/** `rows` samples of `dim` fixed features (rows j and j + 29 repeat); targets are the sample ids 0..rows-1. */
export function idBatch(rows: number, dim: number, offset = 0): Batch {
  const x = new Float32Array(rows * dim);
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    y[j] = j;
    // Multiples of 1/64, exact in float32, different for every row.
    for (let k = 0; k < dim; k++) x[j * dim + k] = (((j * 7 + k * 13 + offset) % 29) - 14) / 64;
  }
  return { x, y, rows, dim };
}
