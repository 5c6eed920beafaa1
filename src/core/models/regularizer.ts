/** The L2 (ridge) term lambda/2 |w|^2 shared by the linear models, and its gradient lambda w. */

/** lambda/2 |w|^2; 0 when lambda is 0, even for infinite weights (no Inf * 0 = NaN). */
export function l2Penalty(w: Float64Array, lambda: number): number {
  if (lambda === 0) return 0;
  let s = 0;
  for (let k = 0; k < w.length; k++) s += w[k] * w[k];
  return 0.5 * lambda * s;
}

/** grad += lambda w. */
export function addL2Gradient(grad: Float64Array, w: Float64Array, lambda: number): void {
  if (lambda === 0) return;
  for (let k = 0; k < w.length; k++) grad[k] += lambda * w[k];
}
