import type { NodeId } from "../core/units.js";
import type { NodeSession } from "./node-session.js";

/**
 * The registered nodes: each name with its current session (a rejoining node replaces its old
 * one), in the order the names first registered, which is the order of node indices in a run and
 * of the engine's links (so aggregation order never depends on arrival).
 */
export class NodeRegistry {
  private readonly order: NodeId[] = [];
  private readonly live = new Map<NodeId, NodeSession>();

  /**
   * @param maxAbsent names of nodes that left are remembered (a node that comes back keeps its
   * place), at most this many: beyond, the longest-known absent names are forgotten, so that
   * nodes registering under ever new names (restarts with HOST-PID names, an attacker) cannot
   * grow the registry without bound.
   */
  constructor(private readonly maxAbsent = 10_000) {}

  /** Binds `name` to `session`; a new name goes to the end of the order. */
  register(name: NodeId, session: NodeSession): void {
    if (!this.order.includes(name)) this.order.push(name);
    this.live.set(name, session);
  }

  /** Forgets `session` if it is still its name's current one. */
  remove(session: NodeSession): void {
    if (session.id !== undefined && this.live.get(session.id) === session) {
      this.live.delete(session.id);
      let absent = this.order.length - this.live.size;
      if (absent > this.maxAbsent) {
        for (let i = 0; i < this.order.length && absent > this.maxAbsent; ) {
          if (this.live.has(this.order[i])) i++;
          else {
            this.order.splice(i, 1);
            absent--;
          }
        }
      }
    }
  }

  /** The current session of a name, if it is open. */
  current(name: NodeId): NodeSession | undefined {
    const s = this.live.get(name);
    return s?.isOpen ? s : undefined;
  }

  /** True when another open session holds the name. */
  isTaken(name: NodeId): boolean {
    return this.current(name) !== undefined;
  }

  /** The names with an open session, in first-registration order. */
  connected(): NodeId[] {
    return this.order.filter((n) => this.current(n) !== undefined);
  }

  /** Every open session. */
  sessions(): NodeSession[] {
    return this.connected().map((n) => this.live.get(n)!);
  }
}
