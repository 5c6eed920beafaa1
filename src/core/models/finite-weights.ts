/**
 * NaN or infinite weights (a diverged step, a corrupt aggregate) must give a NaN loss, never a
 * crash or a plausible number: objectives test this first and skip the kernels, whose float32
 * backends need not propagate NaN the way plain float64 loops do.
 */

/** True when every weight is a finite number. */
export function allFinite(w: Float64Array): boolean {
  for (let k = 0; k < w.length; k++) {
    // x - x is 0 for finite x and NaN for NaN or +-Infinity: one branch per weight.
    if (w[k] - w[k] !== 0) return false;
  }
  return true;
}

/** Marks a gradient as unusable and returns the NaN loss that goes with it. */
export function nanLoss(grad?: Float64Array): number {
  grad?.fill(Number.NaN);
  return Number.NaN;
}
