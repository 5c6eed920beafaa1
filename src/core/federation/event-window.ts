import type { NodeId } from "../units.js";
import type { RoundEvent } from "./round-event.js";

/** The latest events a run result keeps by default (a long run streams the rest through onRound). */
export const DEFAULT_KEPT_EVENTS = 1000;

/** Per node: rounds whose average took its report, rounds it was left out of. */
export interface NodeRoundCount {
  readonly reported: number;
  readonly failed: number;
}

/**
 * A run's round events as its result keeps them: every event is counted (rounds, and per node
 * the rounds it reported in or was left out of), but only the latest `limit` are kept, so that a
 * run of any length holds bounded memory. Whoever needs every event takes them from onRound as
 * they come (`fedtau experiment`, rounds.jsonl, the dashboard).
 */
export class EventWindow {
  private readonly limit: number;
  private readonly ring: RoundEvent[] = [];
  private head = 0;
  private total = 0;
  private readonly perNode = new Map<NodeId, { reported: number; failed: number }>();

  constructor(limit: number = DEFAULT_KEPT_EVENTS, earlier: readonly RoundEvent[] = []) {
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 0))) {
      throw new RangeError(`The events kept must be an integer >= 0 or Infinity, got ${limit}`);
    }
    this.limit = limit;
    for (const e of earlier) this.push(e);
  }

  /** Events pushed, kept or not. */
  get count(): number {
    return this.total;
  }

  push(event: RoundEvent): void {
    this.total++;
    for (const id of event.reported) this.at(id).reported++;
    for (const f of event.failed) this.at(f.id).failed++;
    if (this.limit === 0) return;
    if (this.ring.length < this.limit) {
      this.ring.push(event);
    } else {
      this.ring[this.head] = event;
      this.head = (this.head + 1) % this.limit;
    }
  }

  /** The kept events, oldest first. */
  toArray(): RoundEvent[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  /** Per node id, over every event pushed. */
  nodeRounds(): Record<NodeId, NodeRoundCount> {
    const out: Record<NodeId, NodeRoundCount> = {};
    for (const [id, c] of this.perNode) out[id] = { ...c };
    return out;
  }

  private at(id: NodeId): { reported: number; failed: number } {
    let c = this.perNode.get(id);
    if (c === undefined) {
      c = { reported: 0, failed: 0 };
      this.perNode.set(id, c);
    }
    return c;
  }
}
