import type { RunStop } from "../core/federation/run-stop.js";
import type { StopReasonName } from "../protocol/index.js";

/** Who cancelled a run: the operator (restart, pause) or the aggregator shutting down. */
export type CancelCause = "operator" | "shutdown";

/** A Stop's reason and sentence, as the nodes get them. */
export interface StopNotice {
  readonly reason: StopReasonName;
  readonly message: string;
}

/**
 * The Stop for how the engine says the run stopped; a cancelled run names who cancelled it,
 * which only the aggregator knows.
 */
export function stopNoticeOf(stop: RunStop, cancelledBy: CancelCause): StopNotice {
  switch (stop.reason) {
    case "round-limit":
      return { reason: "round-limit", message: `round limit of ${stop.fullRounds} reached` };
    case "budget-spent":
      return { reason: "budget-spent", message: `budget spent after ${stop.fullRounds} rounds` };
    case "cancelled":
      return cancelledBy === "shutdown"
        ? { reason: "shutdown", message: "the aggregator is shutting down" }
        : { reason: "operator", message: "stopped by the operator" };
    case "failed":
      return { reason: "error", message: "the run failed" };
  }
}
