import { tauChangeLine } from "../aggregator/round-note.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import type { BudgetUse, RoundPoint } from "./wire-types.js";

/** The resource whose c, b, spent and budget the charts show. */
const TIME = "time";

/** A finite number, else null (JSON has no NaN or Infinity). */
function finite(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The values of one round event that the charts plot. */
export function roundPoint(event: RoundEvent): RoundPoint {
  const costs = event.costs[TIME];
  return {
    round: event.round,
    kind: event.kind,
    tau: event.tau,
    tauDone: finite(event.tauDone.mean) ?? 0,
    loss: finite(event.lossAtStart),
    testLoss: finite(event.testLoss),
    accuracy: finite(event.testAccuracy),
    beta: finite(event.beta),
    delta: finite(event.delta),
    rho: finite(event.rho),
    c: finite(costs?.c),
    b: finite(costs?.b),
    spent: finite(event.spent[TIME]),
    budget: finite(event.budget[TIME]),
    budgets: budgetUses(event),
    wallSeconds: finite(event.wallSeconds) ?? 0,
    reported: event.reported.length,
    failed: event.failed.length,
    fault: event.fault?.code ?? null,
    tauChange: tauChangeLine(event),
  };
}

/** Each budgeted resource with a finite spent amount and a budget above 0, in the event's order. */
function budgetUses(event: RoundEvent): BudgetUse[] {
  const out: BudgetUse[] = [];
  for (const [resource, budget] of Object.entries(event.budget)) {
    const spent = finite(event.spent[resource]);
    if (spent !== null && finite(budget) !== null && budget > 0) {
      out.push({ resource, spent, budget });
    }
  }
  return out;
}
