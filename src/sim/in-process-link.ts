import { type Clock, performanceClock } from "../core/federation/cost-source.js";
import type { NodeLink, RoundOutcome } from "../core/federation/link.js";
import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";

/** What an in-process link drives: a LocalTrainer, or anything that runs a round the same way. */
export interface RoundRunner {
  runRound(order: RoundOrder): RoundReport;
}

/**
 * A node in the same process: the order goes to the trainer by a direct call, no copy, no wire.
 * As every link, it never rejects: a trainer that throws becomes a "node-error" outcome.
 * Every outcome carries `busySeconds`, the time the call took on `clock` (the round engine's
 * clock, so that the measured costs can take the call out of the round's wall time): the nodes
 * of a simulation run one after another, where real ones would run side by side.
 */
export class InProcessLink implements NodeLink {
  constructor(
    readonly id: NodeId,
    readonly trainer: RoundRunner,
    private readonly clock: Clock = performanceClock,
  ) {}

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    const t0 = this.clock.now();
    try {
      const report = this.trainer.runRound(order);
      return { ok: true, report, busySeconds: this.clock.now() - t0 };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        code: "node-error",
        message: `Node ${this.id} failed round ${order.round}: ${reason}`,
        busySeconds: this.clock.now() - t0,
      };
    }
  }
}
