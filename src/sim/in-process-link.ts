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
 */
export class InProcessLink implements NodeLink {
  constructor(
    readonly id: NodeId,
    readonly trainer: RoundRunner,
  ) {}

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    try {
      return { ok: true, report: this.trainer.runRound(order) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        code: "node-error",
        message: `Node ${this.id} failed round ${order.round}: ${reason}`,
      };
    }
  }
}
