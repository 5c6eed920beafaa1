import type { ResourceName, Tau } from "../units.js";
import type { BudgetPlan, ResourcePlanCosts } from "./budget-ledger.js";

export interface RemainingPlanInput {
  /** The budgeted resources with what is left of them and their planning costs. */
  readonly resources: readonly ResourcePlanCosts[];
  /** tau* from the search. */
  readonly tau: Tau;
  /** One update and one aggregation are set aside for the evaluation-only round. */
  readonly useMinLoss: boolean;
}

/** What one resource leaves for full rounds: R - s, less one update and one aggregation with min-loss. */
function usable(r: ResourcePlanCosts, useMinLoss: boolean): number {
  const left = r.budget - r.spent;
  return useMinLoss ? left - r.c - r.b : left;
}

/** The most updates one more round can run within every resource, and the resource that says so. */
function largestFitting(
  resources: readonly ResourcePlanCosts[],
  useMinLoss: boolean,
): { tau: number; binding: ResourceName | null } {
  let tau = Number.POSITIVE_INFINITY;
  let binding: ResourceName | null = null;
  for (const r of resources) {
    const room = usable(r, useMinLoss) - r.b;
    const t = r.c > 0 ? Math.floor(room / r.c) : room >= 0 ? Number.POSITIVE_INFINITY : 0;
    if (t < tau) {
      tau = t;
      binding = r.name;
    }
  }
  return { tau, binding };
}

/**
 * The next round planned against what remains of every budget, in whole rounds, never starting
 * a round the budget cannot pay for (the tightest resource decides):
 * - two or more rounds of tau fit beside the evaluation round: a full round of tau;
 * - one fits: it is the last full round, of tau;
 * - none fits: the last full round runs the updates that do fit; when not even one does, the
 *   evaluation-only round comes next.
 * The paper's rule instead shortens the round that no longer fits and still runs it with at
 * least one update, so a run overran its budget by up to two aggregations; and a last round of
 * a few updates paid a whole aggregation. Stretching the last round to use the leftover was
 * tried and measured worse (a larger tau where the bound chose tau*), so what is left stays
 * unspent.
 */
export function planRemaining(input: RemainingPlanInput): BudgetPlan {
  const { resources, useMinLoss, tau } = input;
  let rounds = Number.POSITIVE_INFINITY;
  let tightest: ResourceName | null = null;
  for (const r of resources) {
    const perRound = r.c * tau + r.b;
    if (!(perRound > 0)) continue;
    const n = Math.floor(usable(r, useMinLoss) / perRound);
    if (n < rounds) {
      rounds = n;
      tightest = r.name;
    }
  }
  if (rounds >= 2) return { tau, lastFull: false, binding: null };
  if (rounds === 1) return { tau, lastFull: true, binding: tightest };
  const fit = largestFitting(resources, useMinLoss);
  if (fit.tau >= 1) return { tau: Math.min(fit.tau, tau), lastFull: true, binding: fit.binding };
  return { tau: 1, lastFull: true, binding: fit.binding, evaluateNow: true };
}
