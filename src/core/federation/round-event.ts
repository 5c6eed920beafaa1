import type { ResourceCosts, ResourceTable } from "../control/budget-ledger.js";
import type { ControlInput, ControlOutput } from "../control/control-record.js";
import type { RoundKind } from "../control/round-plan.js";
import type { TauReason } from "../control/tau-policy.js";
import type { NodeId, ResourceAmount, Round, Seconds, Tau } from "../units.js";
import type { FailureCode } from "./link.js";

/** A node left out of a round, and why. */
export interface NodeFailure {
  readonly id: NodeId;
  readonly code: FailureCode;
  readonly message: string;
}

/**
 * Something the engine did about a round as a whole: "aggregate-not-finite" (the average, or
 * every report, had NaN or Infinity: the previous global weights were kept and the next round
 * runs tau = 1) or "no-reports" (no node reported: the weights were kept).
 */
export interface RoundFault {
  readonly code: "aggregate-not-finite" | "no-reports";
  readonly message: string;
}

/** The one event of a round, for the dashboard, the log and the results file. */
export interface RoundEvent {
  readonly round: Round;
  /** The tau ordered. */
  readonly tau: Tau;
  readonly kind: RoundKind;
  /** The evaluation-only round after the last full one. */
  readonly evaluationOnly: boolean;
  /** The run's final round. */
  readonly lastRound: boolean;
  /** Local updates done, over the nodes that reported (0 without reports). */
  readonly tauDone: { readonly max: Tau; readonly mean: number };
  /** F(w(t0)): D-weighted lossAtGlobal of the round's starting weights; null without reports. */
  readonly lossAtStart: number | null;
  /** The least loss seen (min-loss rule). */
  readonly bestLoss: number | null;
  /**
   * The global model on the test set (null without an evaluate callback): the weights after the
   * round; in the evaluation-only round, the weights the run returns.
   */
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
  /** The smoothed estimates after this round (null until a node sent them). */
  readonly beta: number | null;
  readonly rho: number | null;
  readonly delta: number | null;
  /** Per resource, the latest c and b. */
  readonly costs: ResourceTable<ResourceCosts>;
  /** Per resource, spent so far (this round included). */
  readonly spent: ResourceTable<ResourceAmount>;
  /** Per budgeted resource, its total budget. */
  readonly budget: ResourceTable<ResourceAmount>;
  /** Nodes whose report entered the round, and nodes left out. */
  readonly reported: readonly NodeId[];
  readonly failed: readonly NodeFailure[];
  readonly fault: RoundFault | null;
  /** The tau of the next round, and why; null when the run ends (or the choice was forced). */
  readonly nextTau: Tau | null;
  readonly tauReason: TauReason | null;
  /**
   * The controller's record of this round: every input its decision used (costs per resource
   * and per node, the round's estimates, the nodes that reported or were lost) and what it
   * decided, with the search's parameters and the reason. `fedtau replay` re-runs it.
   */
  readonly control: { readonly input: ControlInput; readonly output: ControlOutput };
  /** Wall time from sending the orders to having every answer. */
  readonly wallSeconds: Seconds;
}
