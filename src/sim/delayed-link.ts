import type { NodeLink, RoundOutcome, RunEnd } from "../core/federation/link.js";
import type { RoundOrder } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";

/** Waits `ms` milliseconds (0: until the event loop's next turn). */
export type Sleep = (ms: number) => Promise<void>;

export const timerSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An in-process node with added communication delay, as `--delay` adds it on the network: the
 * order reaches the node `delayMs()` after it is sent and the answer comes back as long after
 * (the delay is read at each wait, so a change applies from the next message). The nodes of a
 * round wait side by side, so a measured round's b grows by twice the delay, as a networked
 * one's does. Even with no delay each wait yields to the event loop, so a simulation shares its
 * process with a server. After `stop` a late order no longer reaches the node.
 */
export class DelayedLink implements NodeLink {
  readonly id: NodeId;
  private stopped = false;

  constructor(
    private readonly inner: NodeLink,
    private readonly delayMs: () => number,
    private readonly sleep: Sleep = timerSleep,
  ) {
    this.id = inner.id;
  }

  get readsWeightsOnly(): boolean | undefined {
    return this.inner.readsWeightsOnly;
  }

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    await this.sleep(this.delayMs());
    if (this.stopped) return this.gone(order);
    const outcome = await this.inner.runRound(order);
    await this.sleep(this.delayMs());
    return outcome;
  }

  async stop(end: RunEnd): Promise<void> {
    this.stopped = true;
    await this.inner.stop?.(end);
  }

  private gone(order: RoundOrder): RoundOutcome {
    return {
      ok: false,
      code: "disconnected",
      message: `Node ${this.id} missed round ${order.round}: the run is over`,
    };
  }
}
