import type { Batch } from "../../data/batch.js";
import { Rng } from "../../data/rng.js";

/** A seeded SVM data set: features multiples of 1/256 (exact in float32), labels +1/-1. */
export function svmBatch(rows: number, dim: number, seed: number): Batch {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * dim);
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    y[j] = rng.next() < 0.5 ? -1 : 1;
    for (let k = 0; k < dim; k++) x[j * dim + k] = (rng.int(512) - 256) / 256 + 0.1 * y[j];
  }
  return { x, y, rows, dim };
}
