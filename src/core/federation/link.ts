import type { RoundOrder, RoundReport } from "../train/round-report.js";
import type { NodeId } from "../units.js";

/** Why a node left a round out. */
export type FailureCode = "timeout" | "disconnected" | "invalid-report" | "node-error";

export type RoundOutcome =
  | { readonly ok: true; readonly report: RoundReport }
  | { readonly ok: false; readonly code: FailureCode; readonly message: string };

/**
 * How the round engine talks to one node: send a round order, get the node's report or a
 * failure. The simulator implements it with direct calls; the networked aggregator over
 * WebSocket. A link never throws for a node's fault: it resolves with `ok: false`.
 */
export interface NodeLink {
  readonly id: NodeId;
  runRound(order: RoundOrder): Promise<RoundOutcome>;
}
