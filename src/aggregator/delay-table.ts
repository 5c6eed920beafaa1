import type { NodeId } from "../core/units.js";

/** The largest added delay accepted, in ms (a minute: anything more is a typo). */
export const MAX_ADDED_DELAY_MS = 60_000;

/** Which nodes a delay is for: one node by name, or every node. */
export type DelayTarget = NodeId | "all";

/** A delay setting, as `--delay MS` or `--delay NODE=MS` gives it. */
export interface DelaySetting {
  readonly target: DelayTarget;
  readonly ms: number;
}

/**
 * The delay added to every message to and from each node (the demo's "added communication
 * delay"): one value for all nodes, and overrides per node. Setting "all" clears the overrides,
 * as a dashboard's "all nodes" control means.
 */
export class DelayTable {
  private all = 0;
  private readonly perNode = new Map<NodeId, number>();

  constructor(settings: readonly DelaySetting[] = []) {
    for (const s of settings) this.set(s.target, s.ms);
  }

  /** Sets a delay; throws a RangeError for a value outside 0..MAX_ADDED_DELAY_MS. */
  set(target: DelayTarget, ms: number): void {
    checkDelay(ms);
    if (target === "all") {
      this.all = ms;
      this.perNode.clear();
    } else {
      this.perNode.set(target, ms);
    }
  }

  /** The delay of every node without one of its own (and of connections not yet registered). */
  get common(): number {
    return this.all;
  }

  /** The delay of a node's messages, in ms. */
  of(node: NodeId): number {
    return this.perNode.get(node) ?? this.all;
  }

  /** The delay for every node and the overrides, as plain data. */
  snapshot(): { readonly all: number; readonly nodes: Readonly<Record<NodeId, number>> } {
    return { all: this.all, nodes: Object.fromEntries(this.perNode) };
  }
}

export function checkDelay(ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0 && ms <= MAX_ADDED_DELAY_MS)) {
    throw new RangeError(`An added delay must be 0 to ${MAX_ADDED_DELAY_MS} ms, got ${ms}`);
  }
}

/** Reads `--delay` values: "MS" (every node) or "NODE=MS". Throws a readable error. */
export function parseDelaySetting(text: string): DelaySetting {
  const t = text.trim();
  const eq = t.lastIndexOf("=");
  const target = eq < 0 ? "all" : t.slice(0, eq).trim();
  const msText = eq < 0 ? t : t.slice(eq + 1).trim();
  if (target === "") throw new Error(`Bad delay "${text}": expected MS or NODE=MS`);
  const ms = Number(msText);
  if (msText === "" || !Number.isFinite(ms) || ms < 0 || ms > MAX_ADDED_DELAY_MS) {
    throw new Error(
      `Bad delay "${text}": the milliseconds must be a number from 0 to ${MAX_ADDED_DELAY_MS}`,
    );
  }
  return { target, ms };
}
