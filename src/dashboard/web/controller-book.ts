import type {
  RoundPoint,
  WireChange,
  WireDecision,
  WireSearch,
  WireSnapshot,
} from "../wire-types.js";

/** Lines of the "why tau changed" list at most. */
export const REASON_LINES = 12;

/** A decision and the round after which it was made. */
export interface HeldDecision {
  readonly round: number;
  readonly decision: WireDecision;
}

/** A decision whose search is known. */
export interface SearchedDecision extends HeldDecision {
  readonly search: WireSearch;
}

/** One line of the list: why tau changed after a round. */
export interface ReasonLine {
  readonly round: number;
  readonly text: string;
}

/**
 * What the controller panel shows, kept from the snapshot and the streamed rounds of the current
 * run (a new run starts it afresh): the newest decision, the newest one with a search (its G(tau)
 * curve, which the last rounds of a run, searching nothing, keep showing), and the latest lines
 * saying why tau changed, newest first, at most `limit`.
 */
export class ControllerBook {
  latest: HeldDecision | null = null;
  searched: SearchedDecision | null = null;
  reasons: ReasonLine[] = [];
  /** Something changed since the panel last drew. */
  dirty = true;
  private runId: string | null = null;
  private lastRound = 0;

  constructor(readonly limit = REASON_LINES) {}

  load(snapshot: WireSnapshot): void {
    this.reset(snapshot.run?.id ?? null);
    for (const point of snapshot.run?.points ?? []) this.take(point);
  }

  apply(change: WireChange): void {
    if (change.type === "run-start") {
      this.reset(change.run.id);
      for (const point of change.run.points) this.take(point);
    } else if (change.type === "round" && change.runId === this.runId) {
      this.take(change.point);
    }
  }

  private reset(runId: string | null): void {
    this.runId = runId;
    this.lastRound = 0;
    this.latest = null;
    this.searched = null;
    this.reasons = [];
    this.dirty = true;
  }

  private take(point: RoundPoint): void {
    // A round already held (sent twice) is ignored, as the charts do.
    if (point.round <= this.lastRound) return;
    this.lastRound = point.round;
    const { decision } = point;
    if (decision !== undefined) {
      this.latest = { round: point.round, decision };
      if (decision.search !== null) {
        this.searched = { round: point.round, decision, search: decision.search };
      }
      this.dirty = true;
    }
    if (typeof point.tauChange === "string") {
      this.reasons.unshift({ round: point.round, text: point.tauChange });
      if (this.reasons.length > this.limit) this.reasons.length = this.limit;
      this.dirty = true;
    }
  }
}

/**
 * Where the chart marks the chosen tau and, when it differs, the argmin: their indices in the
 * curve, null for a mark that is not on it (not a candidate, or infeasible).
 */
export function curveMarks(
  search: WireSearch,
  chosen: number | null,
): { chosen: number | null; argmin: number | null } {
  const at = (tau: number | null): number | null => {
    const k = tau === null ? -1 : search.curve.tau.indexOf(tau);
    return k < 0 ? null : k;
  };
  return { chosen: at(chosen), argmin: search.argmin === chosen ? null : at(search.argmin) };
}
