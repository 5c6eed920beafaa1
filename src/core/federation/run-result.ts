import type { ResourceTable } from "../control/budget-ledger.js";
import type { ControllerState } from "../control/controller.js";
import type { SmoothedEstimates } from "../control/estimates.js";
import type { NodeId, ResourceAmount } from "../units.js";
import type { NodeRoundCount } from "./event-window.js";
import type { RoundEvent } from "./round-event.js";

export type RunStatus = "completed" | "cancelled" | "failed";

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

export interface RunResult {
  readonly status: RunStatus;
  /** Set when status is "failed". */
  readonly error: EngineError | null;
  /** The weights the run returns: the best seen under the min-loss rule, else the last. */
  readonly finalWeights: Float64Array;
  /** The global weights after the last full round. */
  readonly lastWeights: Float64Array;
  /** Rounds run, the evaluation-only round included. */
  readonly rounds: number;
  /** Local updates, sum over rounds of the most any node did. */
  readonly iterations: number;
  /** sum tau^2 / sum tau over rounds (tau weighted by its iterations), as the authors report it. */
  readonly meanTau: number;
  readonly spent: ResourceTable<ResourceAmount>;
  /** The smoothed estimates at the end. */
  readonly estimates: SmoothedEstimates;
  readonly bestLoss: number | null;
  /**
   * The latest round events (at most RoundEngineOptions.keepEvents, default 1000: a long run
   * streams every event through onRound instead of keeping them all).
   */
  readonly events: readonly RoundEvent[];
  /** Per node id, over every round (kept or not): rounds reported in, rounds left out of. */
  readonly nodeRounds: Readonly<Record<NodeId, NodeRoundCount>>;
  /** The controller's state at the end (plain data). */
  readonly controller: ControllerState | null;
}
