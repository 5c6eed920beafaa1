import type { Round, Tau } from "../units.js";
import type { BudgetPlan } from "./budget-ledger.js";

/**
 * A training round; the last full one (budget or round limit reached); or the evaluation-only
 * round after it, which runs tau = 1 only to learn the loss of the last global weights.
 */
export type RoundKind = "full" | "last-full" | "evaluation";

export interface RoundPlan {
  readonly round: Round;
  readonly tau: Tau;
  readonly kind: RoundKind;
  /** The run's final round: nodes stop after it (RoundOrder.lastRound). */
  readonly lastRound: boolean;
}

export interface StoppingOptions {
  /** With the min-loss rule an evaluation-only round follows the last full one. */
  readonly useMinLoss: boolean;
  /** Full rounds at most (the evaluation-only round comes on top); null for no limit. */
  readonly maxRounds: number | null;
}

function planOf(round: Round, tau: Tau, lastFull: boolean, o: StoppingOptions): RoundPlan {
  if (!lastFull) return { round, tau, kind: "full", lastRound: false };
  // Without the min-loss rule nothing follows the last full round.
  return { round, tau, kind: "last-full", lastRound: !o.useMinLoss };
}

/** Round 1. */
export function firstPlan(tau: Tau, o: StoppingOptions): RoundPlan {
  return planOf(1, tau, o.maxRounds === 1, o);
}

/**
 * The stopping rule of section 4: after the round just run, the next one (with the tau the
 * budget allows), the evaluation-only round after the last full one, or null: stop.
 */
export function nextPlan(ran: RoundPlan, budget: BudgetPlan, o: StoppingOptions): RoundPlan | null {
  if (ran.lastRound) return null;
  const round = ran.round + 1;
  if (ran.kind === "last-full") return { round, tau: 1, kind: "evaluation", lastRound: true };
  if (budget.evaluateNow === true) {
    return o.useMinLoss ? { round, tau: 1, kind: "evaluation", lastRound: true } : null;
  }
  const lastFull = budget.lastFull || (o.maxRounds !== null && round >= o.maxRounds);
  return planOf(round, budget.tau, lastFull, o);
}
