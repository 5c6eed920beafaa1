import type { RoundReport } from "../train/round-report.js";
import type { NodeId, Round, Tau } from "../units.js";

/** What a report of this round must match. */
export interface ReportExpectation {
  readonly round: Round;
  readonly tau: Tau;
  readonly modelSize: number;
}

export type ReportCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly message: string;
      /** The report is well formed but carries NaN or Infinity: the node's model diverged. */
      readonly nonFinite: boolean;
    };

/**
 * Checks one node's report before it enters the average: round, lengths, data size, tauDone
 * within 1..tau, and finite numbers everywhere. A report that fails is left out of the round;
 * the message says exactly why, e.g. `Cannot aggregate update from "n3": expected 784 weights,
 * got 783`.
 */
export function checkReport(id: NodeId, r: RoundReport, expect: ReportExpectation): ReportCheck {
  const shape = (what: string): ReportCheck => ({
    ok: false,
    message: `Cannot aggregate update from "${id}": ${what}`,
    nonFinite: false,
  });
  const diverged = (what: string): ReportCheck => ({
    ok: false,
    message: `Cannot aggregate update from "${id}": ${what}`,
    nonFinite: true,
  });

  if (r.round !== expect.round) {
    return shape(`the report is for round ${r.round}, expected round ${expect.round}`);
  }
  const n = expect.modelSize;
  if (r.weights?.length !== n) return shape(`expected ${n} weights, got ${r.weights?.length}`);
  if (r.gradAtGlobal?.length !== n) {
    return shape(`expected ${n} gradient values, got ${r.gradAtGlobal?.length}`);
  }
  if (!(Number.isInteger(r.dataSize) && r.dataSize >= 1)) {
    return shape(`data size must be an integer >= 1, got ${r.dataSize}`);
  }
  if (!(Number.isInteger(r.tauDone) && r.tauDone >= 1 && r.tauDone <= expect.tau)) {
    return shape(`tauDone ${r.tauDone} is outside 1..${expect.tau}`);
  }
  if (!(Number.isFinite(r.localSeconds) && r.localSeconds >= 0)) {
    return shape(`local time must be a finite number >= 0, got ${r.localSeconds}`);
  }
  for (const [name, v] of [
    ["beta", r.beta],
    ["rho", r.rho],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      return shape(`${name} must be a finite number >= 0, got ${v}`);
    }
  }

  if (!Number.isFinite(r.lossAtGlobal)) return diverged(`lossAtGlobal is ${r.lossAtGlobal}`);
  if (r.lossAtBest !== undefined && !Number.isFinite(r.lossAtBest)) {
    return diverged(`lossAtBest is ${r.lossAtBest}`);
  }
  const badWeight = firstNonFinite(r.weights);
  if (badWeight >= 0) return diverged(`weight ${badWeight} is ${r.weights[badWeight]}`);
  const badGrad = firstNonFinite(r.gradAtGlobal);
  if (badGrad >= 0) return diverged(`gradient value ${badGrad} is ${r.gradAtGlobal[badGrad]}`);
  return { ok: true };
}

/** Index of the first NaN or infinite value, or -1. */
function firstNonFinite(a: Float64Array): number {
  for (let k = 0; k < a.length; k++) {
    // x - x is NaN exactly for NaN and +-Infinity: one test in the hot loop.
    if (a[k] - a[k] !== 0) return k;
  }
  return -1;
}
