import type { Batch } from "../data/batch.js";

/** The given rows of a batch, copied into a batch of their own (in the given order). */
export function batchRows(batch: Batch, indices: ArrayLike<number>): Batch {
  const { dim } = batch;
  const rows = indices.length;
  const x = new Float32Array(rows * dim);
  const y = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const i = indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < batch.rows)) {
      throw new RangeError(`Cannot take row ${i} of a batch: it has ${batch.rows} rows`);
    }
    x.set(batch.x.subarray(i * dim, (i + 1) * dim), k * dim);
    y[k] = batch.y[i];
  }
  return { x, y, rows, dim };
}
