import type { ResourceName, Tau } from "../units.js";
import type { BudgetPlan, ResourcePlanCosts } from "./budget-ledger.js";

export interface RemainingPlanInput {
  /** The budgeted resources with what is left of them and their planning costs. */
  readonly resources: readonly ResourcePlanCosts[];
  /** tau* from a search over whole rounds of the remaining budget. */
  readonly tau: Tau;
  /** One update and one aggregation are set aside for the evaluation-only round. */
  readonly useMinLoss: boolean;
}

/** What one resource leaves for full rounds: R - s, less one update and one aggregation with min-loss. */
function usable(r: ResourcePlanCosts, useMinLoss: boolean): number {
  const left = r.budget - r.spent;
  return useMinLoss ? left - r.c - r.b : left;
}

/**
 * The next round when tau* was searched over whole rounds of what remains (tau-search.ts,
 * wholeRounds): it is the last full one when no more than one round of tau* fits in some
 * resource (that resource binds). When not even one fits, the last full round runs the updates
 * that do fit (at least 1), as the paper's rule.
 */
export function planRemaining(input: RemainingPlanInput): BudgetPlan {
  const { resources, useMinLoss, tau } = input;
  let rounds = Number.POSITIVE_INFINITY;
  let binding: ResourceName | null = null;
  for (const r of resources) {
    const perRound = r.c * tau + r.b;
    if (!(perRound > 0)) continue;
    const n = Math.floor(usable(r, useMinLoss) / perRound);
    if (n < rounds) {
      rounds = n;
      binding = r.name;
    }
  }
  if (rounds >= 2) return { tau, lastFull: false, binding: null };
  if (rounds === 1) return { tau, lastFull: true, binding };
  // Not even one round of tau fits: as many updates as the tightest resource allows.
  let fits = tau;
  for (const r of resources) {
    const room = usable(r, useMinLoss) - r.b;
    const t = r.c > 0 ? Math.floor(room / r.c) : room >= 0 ? tau : 1;
    if (t < fits) {
      fits = t;
      binding = r.name;
    }
  }
  return { tau: Math.max(1, fits), lastFull: true, binding };
}
