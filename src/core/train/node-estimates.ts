/**
 * A node's estimates of the smoothness beta_i and the Lipschitz constant rho_i of its local loss
 * (docs/algorithm.md section 2), from two points: where it ended the previous round (wPrev, before
 * aggregation) and the global weights it started this round from (wGlobal).
 */

/** Two points of the local loss with their gradients and losses, on the same samples. */
export interface EstimateInput {
  readonly wPrev: Float64Array;
  readonly wGlobal: Float64Array;
  readonly gradPrev: Float64Array;
  readonly gradGlobal: Float64Array;
  readonly lossPrev: number;
  readonly lossGlobal: number;
}

export interface NodeEstimates {
  readonly beta: number;
  readonly rho: number;
}

/** Closer than this, the two points are the same one and give no slope. */
const MIN_DISTANCE = 1e-10;
/** beta divides in the tau search: it must stay positive. */
const MIN_BETA = 1e-5;

/**
 * beta_i = |gradPrev - gradGlobal| / |wPrev - wGlobal|, rho_i = |lossPrev - lossGlobal| / same
 * distance, with the authors' edge rules: both 0 when the distance is <= 1e-10 (or NaN); beta
 * below 1e-5 or NaN becomes 1e-5; rho NaN becomes 0. Never throws on NaN input.
 */
export function nodeEstimates(input: EstimateInput): NodeEstimates {
  const { wPrev, wGlobal, gradPrev, gradGlobal, lossPrev, lossGlobal } = input;
  const n = wGlobal.length;
  if (wPrev.length !== n || gradPrev.length !== n || gradGlobal.length !== n) {
    throw new RangeError(
      `Cannot estimate beta and rho: wPrev, wGlobal, gradPrev and gradGlobal must have one length, got ${wPrev.length}, ${n}, ${gradPrev.length}, ${gradGlobal.length}`,
    );
  }
  const dist = distance(wPrev, wGlobal);
  // `>` rather than `<=`: a NaN distance then also gives 0, as in the authors' code.
  const apart = dist > MIN_DISTANCE;
  let beta = apart ? distance(gradPrev, gradGlobal) / dist : 0;
  let rho = apart ? Math.abs(lossPrev - lossGlobal) / dist : 0;
  if (!(beta >= MIN_BETA)) beta = MIN_BETA;
  if (Number.isNaN(rho)) rho = 0;
  return { beta, rho };
}

/** Euclidean distance |a - b|. */
function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k] - b[k];
    s += d * d;
  }
  return Math.sqrt(s);
}
