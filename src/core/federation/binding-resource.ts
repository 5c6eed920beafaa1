import { BudgetLedger, type ResourceAccount } from "../control/budget-ledger.js";
import type { ResourceName } from "../units.js";
import type { RoundEvent } from "./round-event.js";

/** What ended a completed run: a budgeted resource ("time", "bytes"...), or the round limit. */
export type BindingCause = ResourceName | "rounds";

/**
 * Which limit made a run's last full round the last one: "rounds" when it is round `maxRounds`,
 * else the budgeted resource the stopping rule named; null when the run has no last full round
 * (cancelled, failed, still going) or the events around it are not at hand.
 *
 * Round events do not carry the controller's choice, so it is found again: the stopping rule
 * (BudgetLedger.plan) applied to the accounts the event before the last full round shows (the
 * state it decided on) for the tau that round got, and one more (a resource that leaves room
 * for exactly that tau binds at the next). With two resources equally tight either may be named.
 */
export function bindingResource(
  events: readonly RoundEvent[],
  maxRounds?: number,
): BindingCause | null {
  let k = events.length - 1;
  while (k >= 0 && events[k].kind !== "last-full") k--;
  if (k < 0) return null;
  const last = events[k];
  if (maxRounds !== undefined && last.round >= maxRounds) return "rounds";
  const before = events[k - 1];
  if (before === undefined || before.round !== last.round - 1) return null;
  const accounts: ResourceAccount[] = Object.entries(before.spent).map(([name, spent]) => ({
    name,
    budget: before.budget[name] ?? null,
    spent,
    c: before.costs[name]?.c ?? null,
    b: before.costs[name]?.b ?? null,
  }));
  const ledger = BudgetLedger.restore({ accounts });
  // Without the min-loss rule the last full round is the run's last; with it, one follows.
  const useMinLoss = !last.lastRound;
  return ledger.plan(last.tau, useMinLoss).binding ?? ledger.plan(last.tau + 1, useMinLoss).binding;
}
