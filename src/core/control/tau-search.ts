import type { ResourceAmount, Tau } from "../units.js";

/** One budgeted resource as the search sees it: total budget R_m and the latest c_m and b_m. */
export interface ResourceLimit {
  /** R_m: the total budget of the run, not what remains (docs/algorithm.md section 3). */
  readonly budget: ResourceAmount;
  /** c_m: spent by one local update. */
  readonly c: ResourceAmount;
  /** b_m: spent by one aggregation. */
  readonly b: ResourceAmount;
}

/** The control parameters of the bound, all from the (smoothed) estimates and the config. */
export interface BoundParameters {
  readonly beta: number;
  readonly delta: number;
  readonly rho: number;
  /** Step size. */
  readonly eta: number;
  /** Control parameter (0.025 suits smooth SVM on MNIST). */
  readonly phi: number;
  readonly resources: readonly ResourceLimit[];
  /** True: one aggregation is set aside for the final evaluation (min-loss rule, section 4). */
  readonly useMinLoss: boolean;
}

export interface TauSearchInput extends BoundParameters {
  /** The tau of the round just run: candidates are 1 .. 10 * tauPrev (unless lastCandidate). */
  readonly tauPrev: Tau;
  /** The largest candidate, when it is not 10 * tauPrev (no growth limit: tauMax). */
  readonly lastCandidate?: Tau;
  /** The chosen tau never exceeds this (100 in the authors' runs). */
  readonly tauMax: Tau;
}

export interface TauSearchResult {
  /** min(argmin, tauMax); 1 when no candidate was feasible. */
  readonly tau: Tau;
  /** The smallest tau of the range with the least bound, before tauMax; 1 when none was feasible. */
  readonly argmin: Tau;
  /** G(argmin); null when T(tau) <= 0 for every candidate (no finite bound). */
  readonly objective: number | null;
}

/**
 * h(tau) = max(0, delta/beta ((eta beta + 1)^tau - 1) - eta delta tau): how far local models
 * drift from the centralised descent in tau steps. The plain power form, as in the golden values;
 * the edge cases below are the limits of the formula, not NaN.
 */
export function divergence(beta: number, delta: number, eta: number, tau: Tau): number {
  // delta = 0: identical local gradients never drift. beta -> 0: h -> 0.
  if (!(delta > 0) || !(beta > 0)) return 0;
  const growth = (eta * beta + 1) ** tau - 1;
  // (eta beta + 1)^tau overflows for large beta * tau: the drift is then unbounded.
  if (growth === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  // growth = 0 with delta/beta = Infinity (beta denormal) would give NaN; the limit is 0.
  if (growth === 0) return 0;
  const h = (delta / beta) * growth - delta * eta * tau;
  return Math.max(h, 0);
}

/**
 * T(tau): how many local updates the budget allows at this tau, the least over the resources:
 * (R_m - c_m - b_m) tau / (c_m tau + b_m) with the min-loss rule, else R_m tau / (c_m tau + b_m).
 * A resource that a round does not use (c_m = b_m = 0) limits nothing (Infinity). The result may
 * be <= 0: the candidate is then infeasible.
 */
export function updatesAllowed(
  resources: readonly ResourceLimit[],
  useMinLoss: boolean,
  tau: Tau,
): number {
  let least = Number.POSITIVE_INFINITY;
  for (const { budget, c, b } of resources) {
    const perRound = c * tau + b;
    if (!(perRound > 0)) continue;
    const usable = useMinLoss ? budget - c - b : budget;
    const t = (usable * tau) / perRound;
    if (t < least) least = t;
  }
  return least;
}

/**
 * The bound G(tau) on F(w_final) - F(w*) (section 3), or null where the candidate is infeasible
 * (T(tau) <= 0). May be Infinity when h(tau) overflows.
 */
export function boundAt(p: BoundParameters, tau: Tau): number | null {
  return boundWithUpdates(p, tau, updatesAllowed(p.resources, p.useMinLoss, tau));
}

/**
 * G(tau) when the budget allows T local updates in all (T given rather than derived from the
 * resources); null when T <= 0.
 */
export function boundWithUpdates(
  p: Omit<BoundParameters, "resources" | "useMinLoss">,
  tau: Tau,
  T: number,
): number | null {
  if (!(T > 0)) return null;
  const { rho, eta, phi } = p;
  const h = divergence(p.beta, p.delta, eta, tau);
  // rho = 0 or h = 0: the drift terms vanish (and 0 * Infinity must not make NaN).
  const drifts = rho > 0 && h > 0;
  const drift = drifts ? rho * h : 0;
  if (T === Number.POSITIVE_INFINITY) {
    // No resource limits the run: the limit of G as T grows.
    return (drifts ? Math.sqrt((phi * rho * eta * h) / tau) / (eta * phi) : 0) + drift;
  }
  // The authors' order of operations, so that near-ties pick the same tau.
  const spread = drifts ? (4 * T * T * phi * rho * eta * h) / tau : 0;
  return (1 + Math.sqrt(1 + spread)) / (2 * T * eta * phi) + drift;
}

/**
 * tau* = the smallest tau in 1 .. 10 tauPrev minimising G, then min(tau*, tauMax). Infeasible
 * candidates and non-finite bounds are skipped; with none left the result is tau 1.
 */
export function searchTau(input: TauSearchInput): TauSearchResult {
  const last = input.lastCandidate ?? 10 * Math.max(1, Math.floor(input.tauPrev));
  let argmin = 1;
  let objective: number | null = null;
  for (let tau = 1; tau <= last; tau++) {
    const g = boundAt(input, tau);
    if (g === null || !Number.isFinite(g)) continue;
    // Strict: ties keep the smaller tau.
    if (objective === null || g < objective) {
      objective = g;
      argmin = tau;
    }
  }
  return { tau: Math.max(1, Math.min(argmin, input.tauMax)), argmin, objective };
}
