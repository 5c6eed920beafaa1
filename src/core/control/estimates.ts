import { movingAverage } from "./moving-average.js";
import { weightedMean } from "./weighted-mean.js";

/** The part of a node's report the aggregator's estimates use (docs/algorithm.md section 2). */
export interface EstimateReport {
  /** D_i. */
  readonly dataSize: number;
  /** grad F_i(w(t0)). */
  readonly gradAtGlobal: Float64Array;
  /** beta_i and rho_i; absent in a node's first round. */
  readonly beta?: number;
  readonly rho?: number;
  /** The squared sampling error of gradAtGlobal (SGD), absent or 0 when none was estimated. */
  readonly gradNoise?: number;
}

/** One round's estimates at the aggregator, before smoothing; null where no node gave one. */
export interface RoundEstimates {
  readonly beta: number | null;
  readonly rho: number | null;
  readonly delta: number | null;
  /** g = sum_i D_i gradAtGlobal_i / D. */
  readonly globalGradient: Float64Array | null;
}

/** The smoothed estimates the tau search uses: plain data, so a checkpoint can keep them. */
export interface SmoothedEstimates {
  readonly beta: number | null;
  readonly rho: number | null;
  readonly delta: number | null;
}

export const noEstimates: SmoothedEstimates = { beta: null, rho: null, delta: null };

/**
 * beta, rho (D-weighted means of beta_i, rho_i), g and delta = sum_i D_i |gradAtGlobal_i - g| / D,
 * each over the reports given: the nodes that reported this round, never all nodes by number
 * (the authors paired gradients with node numbers, which breaks when only some report). beta and
 * rho are averaged over the nodes that sent them, so a node in its first round does not pull
 * them towards 0.
 */
export function aggregateEstimates(reports: readonly EstimateReport[]): RoundEstimates {
  if (reports.length === 0) return { beta: null, rho: null, delta: null, globalGradient: null };
  const size = reports[0].gradAtGlobal.length;
  for (const r of reports) {
    if (r.gradAtGlobal.length !== size) {
      throw new RangeError(
        `Cannot aggregate estimates: gradients of ${size} and ${r.gradAtGlobal.length} values`,
      );
    }
  }

  const g = new Float64Array(size);
  let dataTotal = 0;
  for (const r of reports) {
    const d = r.dataSize;
    const grad = r.gradAtGlobal;
    for (let k = 0; k < size; k++) g[k] += d * grad[k];
    dataTotal += d;
  }
  for (let k = 0; k < size; k++) g[k] /= dataTotal;

  // Minibatch noise in the gradients shows as divergence even between nodes of one data set.
  // With g_i = G_i + e_i, E|e_i|^2 = n_i and p_i = D_i / D, the noise adds
  // (1 - p_i)^2 n_i + sum_{j != i} p_j^2 n_j to |g_i - g|^2 on average: subtracted here.
  let noiseAll = 0;
  for (const r of reports) noiseAll += (r.dataSize / dataTotal) ** 2 * noiseOf(r);
  let delta = 0;
  for (const r of reports) {
    const grad = r.gradAtGlobal;
    let s = 0;
    for (let k = 0; k < size; k++) {
      const e = grad[k] - g[k];
      s += e * e;
    }
    const p = r.dataSize / dataTotal;
    const n = noiseOf(r);
    const noise = noiseAll - p * p * n + (1 - p) * (1 - p) * n;
    delta += r.dataSize * Math.sqrt(Math.max(0, s - noise));
  }
  delta /= dataTotal;

  return {
    beta: weightedMean(reports, (r) => r.beta),
    rho: weightedMean(reports, (r) => r.rho),
    delta,
    globalGradient: g,
  };
}

function noiseOf(r: EstimateReport): number {
  const n = r.gradNoise;
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : 0;
}

/** Feeds one round's estimates into the moving averages (a missing or NaN value leaves its average as it was). */
export function smoothEstimates(
  avg: SmoothedEstimates,
  fresh: RoundEstimates,
  gamma: number,
): SmoothedEstimates {
  return {
    beta: movingAverage(avg.beta, fresh.beta, gamma),
    rho: movingAverage(avg.rho, fresh.rho, gamma),
    delta: movingAverage(avg.delta, fresh.delta, gamma),
  };
}
