import type { Objective } from "../model.js";

/**
 * The largest difference between the objective's analytic gradient and central finite
 * differences (f(w + h e_k) - f(w - h e_k)) / 2h, relative to the larger gradient's max-norm.
 * With float64 arithmetic and h = 1e-5 the truncation error is O(h^2) and the rounding error
 * O(1e-16 / h), both far below the 1e-6 the tests demand.
 */
export function gradientError(objective: Objective, w: Float64Array, h = 1e-5): number {
  const analytic = new Float64Array(w.length);
  objective.lossAndGradient(w, analytic);
  const probe = w.slice();
  let maxDiff = 0;
  let scale = 1e-12;
  for (let k = 0; k < w.length; k++) {
    probe[k] = w[k] + h;
    const up = objective.loss(probe);
    probe[k] = w[k] - h;
    const down = objective.loss(probe);
    probe[k] = w[k];
    const numeric = (up - down) / (2 * h);
    maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic[k]));
    scale = Math.max(scale, Math.abs(numeric), Math.abs(analytic[k]));
  }
  return maxDiff / scale;
}

/** The losses seen over `steps` plain gradient steps of size `eta` from `w` (w is not changed). */
export function descentLosses(
  objective: Objective,
  w: Float64Array,
  eta: number,
  steps: number,
): number[] {
  const current = w.slice();
  const grad = new Float64Array(w.length);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    losses.push(objective.lossAndGradient(current, grad));
    for (let k = 0; k < current.length; k++) current[k] -= eta * grad[k];
  }
  losses.push(objective.loss(current));
  return losses;
}

/** max_k |a_k - b_k| / max(max_k |b_k|, tiny): a norm-wise relative error. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-300;
  for (let k = 0; k < b.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / scale;
}
