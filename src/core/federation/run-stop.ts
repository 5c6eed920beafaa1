/** Why a run failed, as data. */
export interface EngineError {
  readonly code:
    | "invalid-config"
    | "no-reports"
    | "cost-failed"
    | "evaluate-failed"
    | "listener-failed"
    | "checkpoint-failed"
    | "engine-failed";
  readonly message: string;
}

/** How a run ended, coarsely (summary.json's `status`): derived from its RunStop. */
export type RunStatus = "completed" | "cancelled" | "failed";

/**
 * Why a run stopped, as the engine knows it: the budget ran out or the round limit was reached
 * (both completed, after `fullRounds` full rounds, the evaluation-only round not counted), the
 * run was cancelled (its signal), or it failed (with the error).
 */
export type RunStop =
  | { readonly reason: "budget-spent"; readonly fullRounds: number }
  | { readonly reason: "round-limit"; readonly fullRounds: number }
  | { readonly reason: "cancelled" }
  | { readonly reason: "failed"; readonly error: EngineError };

export function statusOf(stop: RunStop): RunStatus {
  switch (stop.reason) {
    case "budget-spent":
    case "round-limit":
      return "completed";
    case "cancelled":
    case "failed":
      return stop.reason;
  }
}

/**
 * The stop of a run whose controller planned no further round, after round `lastRound`: with
 * the min-loss rule the last round was the evaluation-only one (only that round ends such a
 * run), so one round fewer was a full one. The round limit ended it when that many full rounds
 * were run, else the budget.
 */
export function completedStop(
  lastRound: number,
  rules: { readonly useMinLoss: boolean; readonly maxRounds: number | null },
): RunStop {
  const fullRounds = rules.useMinLoss ? lastRound - 1 : lastRound;
  return rules.maxRounds !== null && fullRounds >= rules.maxRounds
    ? { reason: "round-limit", fullRounds }
    : { reason: "budget-spent", fullRounds };
}
