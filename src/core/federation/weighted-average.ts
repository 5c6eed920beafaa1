/** A node's weights with the number of samples behind them. */
export interface WeightedUpdate {
  readonly weights: Float64Array;
  /** D_i. */
  readonly dataSize: number;
}

/**
 * The global aggregation w = sum_i D_i w_i / D, with D the data of the updates given: when some
 * nodes fail, the weights of the others are renormalised. The result may contain NaN or Infinity
 * (overflow); the caller decides what then.
 */
export function weightedAverage(updates: readonly WeightedUpdate[], size: number): Float64Array {
  if (updates.length === 0) throw new RangeError("Cannot average weights: no updates");
  const w = new Float64Array(size);
  let total = 0;
  for (const { weights, dataSize } of updates) {
    if (weights.length !== size) {
      throw new RangeError(
        `Cannot average weights: expected ${size} weights, got ${weights.length}`,
      );
    }
    for (let k = 0; k < size; k++) w[k] += dataSize * weights[k];
    total += dataSize;
  }
  for (let k = 0; k < size; k++) w[k] /= total;
  return w;
}

/** True when every value is a finite number. */
export function allFinite(w: Float64Array): boolean {
  for (let k = 0; k < w.length; k++) if (w[k] - w[k] !== 0) return false;
  return true;
}
