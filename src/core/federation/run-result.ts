import type { ResourceTable } from "../control/budget-ledger.js";
import type { ControllerState } from "../control/controller.js";
import type { SmoothedEstimates } from "../control/estimates.js";
import type { NodeId, ResourceAmount } from "../units.js";
import type { NodeRoundCount } from "./event-window.js";
import type { RoundEvent } from "./round-event.js";
import type { EngineError, RunStatus, RunStop } from "./run-stop.js";

export interface RunResult {
  /** Why the run stopped: budget spent, round limit, cancelled or failed (with the error). */
  readonly stop: RunStop;
  /** statusOf(stop), for summaries. */
  readonly status: RunStatus;
  /** The failure's error when status is "failed". */
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
