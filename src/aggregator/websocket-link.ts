import type { NodeLink, RoundOutcome, RunEnd } from "../core/federation/link.js";
import type { RunStop } from "../core/federation/run-stop.js";
import type { RoundOrder } from "../core/train/round-report.js";
import type { NodeId, Tau } from "../core/units.js";
import type { RunId, SharedFrame } from "../protocol/index.js";
import type { NodeSession } from "./node-session.js";
import type { StopNotice } from "./stop-notice.js";

/** What a link needs from the aggregator around it. */
export interface LinkContext {
  readonly runId: RunId;
  /** The node's current session (it changes when the node rejoins), if connected. */
  session(id: NodeId): NodeSession | undefined;
  /** The deadline of this node's round of `tau` local updates, in ms. */
  deadlineMs(id: NodeId, tau: Tau): number;
  /**
   * This order's RoundStart with this deadline, encoded once for every node of the round (they
   * all get the same weights); without it, each link encodes its own.
   */
  roundStart?(order: RoundOrder, deadlineMs: number): SharedFrame;
  /** The Stop reason and sentence for how the engine says the run stopped. */
  stopNotice(stop: RunStop): StopNotice;
}

/**
 * One node of a run, as the round engine sees it, over WebSocket: a RoundStart out, the
 * validated RoundResult back, or `ok: false` (timeout, disconnected, a refused frame, the node's
 * Error). The link belongs to the node's name, not to a connection: a node that drops and
 * registers again under its name is asked again from the next round on.
 */
export class WebSocketLink implements NodeLink {
  /** The order's weights are only encoded (and kept, read-only, in the shared RoundStart). */
  readonly readsWeightsOnly = true;

  constructor(
    readonly id: NodeId,
    private readonly context: LinkContext,
  ) {}

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    const { context: ctx, id } = this;
    const session = ctx.session(id);
    if (session === undefined) {
      return { ok: false, code: "disconnected", message: `Node "${id}" is not connected` };
    }
    const deadlineMs = ctx.deadlineMs(id, order.tau);
    return session.askRound(ctx.runId, order, deadlineMs, ctx.roundStart?.(order, deadlineMs));
  }

  async stop(end: RunEnd): Promise<void> {
    const session = this.context.session(this.id);
    if (session === undefined || session.runId !== this.context.runId) return;
    const { reason, message } = this.context.stopNotice(end.stop);
    session.sendStop({
      type: "stop",
      runId: this.context.runId,
      reason,
      finalWeights: end.finalWeights,
      message,
    });
  }
}
