import type { RoundOrder, RoundReport } from "../train/round-report.js";
import type { NodeId, Seconds } from "../units.js";
import type { RunStop } from "./run-stop.js";

/** Why a node left a round out. */
export type FailureCode = "timeout" | "disconnected" | "invalid-report" | "node-error";

/**
 * A node's answer to a round order. `bytes`: what the transport sent and received for this node
 * in the round, when it counts them (the engine sums them into RoundCostInput.bytes).
 * `busySeconds`: set only by a link whose node runs in this process (the simulator): how long
 * its call kept this process busy. Such nodes run one after another, so the round's wall time
 * holds all of their computation; the cost source needs each call's share to see the round as
 * parallel nodes would run it (RoundCostInput.inProcess).
 */
export type RoundOutcome =
  | {
      readonly ok: true;
      readonly report: RoundReport;
      readonly bytes?: number;
      readonly busySeconds?: Seconds;
    }
  | {
      readonly ok: false;
      readonly code: FailureCode;
      readonly message: string;
      readonly bytes?: number;
      readonly busySeconds?: Seconds;
    };

/** How a run ended, as the engine tells every link at the end. */
export interface RunEnd {
  /** Why it stopped (budget spent, round limit, cancelled, failed). */
  readonly stop: RunStop;
  /** The weights the run returns (the best ones under the min-loss rule). */
  readonly finalWeights: Float64Array;
}

/**
 * How the round engine talks to one node: send a round order, get the node's report or a
 * failure. The simulator implements it with direct calls; the networked aggregator over
 * WebSocket. A link answers the round it was asked and never another (a late report of an
 * earlier round is not this round's), never throws for a node's fault (it resolves with
 * `ok: false`), and reports a node it lost as "timeout" or "disconnected". Every implementation
 * runs the conformance suite, test-support/node-link-conformance.ts, from a test file of its own.
 */
export interface NodeLink {
  readonly id: NodeId;
  runRound(order: RoundOrder): Promise<RoundOutcome>;
  /**
   * Optional: true when the link only reads the order's weights (never changes them, in
   * runRound or later): the engine then gives every such link of a round the same copy instead
   * of one copy each.
   */
  readonly readsWeightsOnly?: boolean;
  /**
   * Optional: tells the node the run is over (protocol step 6), also after a cancellation.
   * Must resolve promptly and not throw for a node's fault.
   */
  stop?(end: RunEnd): Promise<void>;
}
