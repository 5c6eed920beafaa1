import { type Clock, performanceClock } from "../core/clock.js";
import type { NodeLink, RoundOutcome } from "../core/federation/link.js";
import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";
import { roundResultWireBytes, roundStartWireBytes } from "../transport/index.js";

/** What an in-process link drives: a LocalTrainer, or anything that runs a round the same way. */
export interface RoundRunner {
  runRound(order: RoundOrder): RoundReport;
}

/**
 * The frames' run id, sequence numbers and deadline, as a networked aggregator's first run has
 * them: a run id of "r", eight base-36 digits of the clock and "-1"; the aggregator's Setup
 * (seq 1) before the first RoundStart, the node's Register and Ready (seqs 1, 2) before its first
 * RoundResult; the 2 s floor of the round deadline. They move a frame's size by a byte or two.
 */
const WIRE_RUN_ID = "r00000000-1";
const WIRE_DEADLINE_MS = 2_000;

/**
 * A node in the same process: the order goes to the trainer by a direct call, no copy, no wire.
 * It counts the bytes the round would take on a networked node's WebSocket (the RoundStart out,
 * the RoundResult back, as the protocol encodes them), so that the simulator books a "bytes"
 * resource as a networked run measures it. Every outcome carries `busySeconds`, the time the
 * trainer's call took on `clock` (the round engine's clock, so that the measured costs can take
 * the call out of the round's wall time): the nodes of a simulation run one after another, where
 * real ones would run side by side. As every link, it never rejects: a trainer that throws
 * becomes a "node-error" outcome (its RoundStart counted).
 */
export class InProcessLink implements NodeLink {
  constructor(
    readonly id: NodeId,
    readonly trainer: RoundRunner,
    private readonly clock: Clock = performanceClock,
  ) {}

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    const sent = wireBytes(() =>
      roundStartWireBytes(WIRE_RUN_ID, order, WIRE_DEADLINE_MS, order.round + 1),
    );
    const t0 = this.clock.now();
    let report: RoundReport;
    try {
      report = this.trainer.runRound(order);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        code: "node-error",
        message: `Node ${this.id} failed round ${order.round}: ${reason}`,
        bytes: sent,
        busySeconds: this.clock.now() - t0,
      };
    }
    const busySeconds = this.clock.now() - t0;
    const received = wireBytes(() => roundResultWireBytes(WIRE_RUN_ID, report, order.round + 2));
    return { ok: true, report, bytes: sent + received, busySeconds };
  }
}

/** A frame's wire bytes; 0 for one the protocol cannot encode (the engine refuses its report). */
function wireBytes(count: () => number): number {
  try {
    return count();
  } catch {
    return 0;
  }
}
