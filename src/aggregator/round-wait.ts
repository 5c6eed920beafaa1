import type { FailureCode, RoundOutcome } from "../core/federation/link.js";
import type { RoundReport } from "../core/train/round-report.js";
import type { ByteCounts, ByteMeter, DelayTimers } from "../transport/index.js";

/** A round's answer before its bytes are added. */
export type Answer =
  | { readonly ok: true; readonly report: RoundReport }
  | { readonly ok: false; readonly code: FailureCode; readonly message: string };

interface Pending {
  readonly round: number;
  readonly mark: ByteCounts;
  readonly timer: unknown;
  readonly resolve: (outcome: RoundOutcome) => void;
}

/**
 * The one round a node has been asked and has not answered yet: its deadline timer, and the
 * answer, given once (the result, or why there is none) with the bytes the connection sent and
 * received since the round was asked.
 */
export class RoundWait {
  private pending: Pending | undefined;

  constructor(
    private readonly meter: ByteMeter,
    private readonly timers: DelayTimers,
  ) {}

  /** The round waited for, if any. */
  get round(): number | undefined {
    return this.pending?.round;
  }

  /**
   * Waits for round `round`; `onDeadline` runs when `deadlineMs` pass first. A round still
   * waited for must be settled before (NodeSession gives it up).
   */
  ask(round: number, deadlineMs: number, onDeadline: () => void): Promise<RoundOutcome> {
    const mark = this.meter.mark();
    return new Promise<RoundOutcome>((resolve) => {
      const timer = this.timers.setTimeout(onDeadline, deadlineMs);
      this.pending = { round, mark, timer, resolve };
    });
  }

  /** Answers the round waited for with `outcome`; false when none was. */
  settle(outcome: Answer): boolean {
    const p = this.pending;
    if (p === undefined) return false;
    this.pending = undefined;
    this.timers.clearTimeout(p.timer);
    const used = this.meter.since(p.mark);
    p.resolve({ ...outcome, bytes: used.bytesSent + used.bytesReceived });
    return true;
  }
}
