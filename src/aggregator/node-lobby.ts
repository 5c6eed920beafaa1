import type { NodeId } from "../core/units.js";
import {
  type LogEntry,
  nameTaken,
  type RegisterMessage,
  type RunId,
  type SetupMessage,
  unauthorized,
} from "../protocol/index.js";
import { type AcceptedConnection, CloseCode } from "../transport/index.js";
import {
  type AggregatorEvent,
  NodeBoard,
  type NodeStatus,
  type Note,
} from "./aggregator-events.js";
import { ChangeSignal } from "./change-signal.js";
import { ConnectionsPerAddress } from "./connections-per-address.js";
import { type DelaySetting, DelayTable, type DelayTarget } from "./delay-table.js";
import { NodeRegistry } from "./node-registry.js";
import { NodeSession } from "./node-session.js";
import { type Admission, admitsNode, hasOwnToken } from "./node-tokens.js";

export interface LobbyOptions extends Admission {
  /** Most open connections from one address; default: no limit. */
  readonly maxConnectionsPerAddress?: number;
  /** The added delays at start. */
  readonly delays?: readonly DelaySetting[];
  /** The protocol log of every session; none: no entry is even built. */
  readonly log?: (entry: LogEntry) => void;
}

/** The run under way, as the lobby sees it: who is in it, and who says Ready. */
export interface LobbyRun {
  readonly runId: RunId;
  /** A participant's Setup (sent again when it rejoins); undefined for a node outside the run. */
  setupOf(name: NodeId): SetupMessage | undefined;
  /** A participant answered Ready (D_i: its data size). */
  ready(name: NodeId, dataSize: number): void;
}

/**
 * Where nodes come in: every connection is admitted here (per-address limit, then Register with
 * its token, a name that is free or the node's own), gets its added delay, and is known by name
 * from then on. Owns the sessions, the delays and each node's status; tells whoever waits
 * (`changes`) when a node registers, gets ready or leaves. A node that registers during a run it
 * belongs to gets that run's Setup again.
 */
export class NodeLobby {
  /** Notified whenever a node registers, becomes ready (or fails to) or leaves. */
  readonly changes = new ChangeSignal();
  private readonly registry = new NodeRegistry();
  private readonly delayTable: DelayTable;
  private readonly board: NodeBoard;
  private readonly perAddress: ConnectionsPerAddress;
  private run: LobbyRun | undefined;
  private lastRegistration = 0;
  private admitting = true;

  constructor(
    private readonly options: LobbyOptions,
    emit: (event: AggregatorEvent) => void,
    private readonly note: Note,
  ) {
    this.delayTable = new DelayTable(options.delays ?? []);
    this.board = new NodeBoard(emit);
    this.perAddress = new ConnectionsPerAddress(options.maxConnectionsPerAddress);
  }

  /** A new connection (from the server): counted for its address, then awaited to register. */
  accept({ connection: conn, remote }: AcceptedConnection): void {
    conn.delayMs = this.delayTable.common;
    if (!this.admitting) {
      conn.close(CloseCode.GoingAway, "shutting down");
      return;
    }
    const tooMany = this.perAddress.admit(conn, remote);
    if (tooMany !== undefined) {
      this.note("warn", `refused [${tooMany.code}] ${tooMany.message}`);
      conn.refuse(tooMany);
      conn.onMessage(() => {}); // nothing more is read; lets its close be reported
      return;
    }
    const { log } = this.options;
    new NodeSession(conn, remote, {
      onRegister: (s, m, seq) => this.register(s, m, seq),
      onReadyChange: (s) => this.readyChanged(s),
      onClosed: (s) => {
        this.registry.remove(s);
        if (s.id !== undefined && this.registry.current(s.id) === undefined) {
          this.board.offline(s.id);
        }
        this.changes.notify();
      },
      ...(log === undefined ? {} : { log }),
      now: () => Date.now(),
    });
  }

  /** The names of the nodes connected now, in registration order (= node order of a run). */
  connected(): NodeId[] {
    return this.registry.connected();
  }

  /** A node's current session, if it is connected. */
  session(name: NodeId): NodeSession | undefined {
    return this.registry.current(name);
  }

  /** performance.now() of the latest registration (0: none yet). */
  get lastRegistrationAt(): number {
    return this.lastRegistration;
  }

  /** Every node seen so far, connected or not, in first-registration order. */
  statuses(): NodeStatus[] {
    return this.board.list();
  }

  /**
   * Sets the delay added to every message to and from one node, or all nodes ("all" also clears
   * the per-node ones), from now on, on the live connections too: frames already waiting are
   * rescheduled.
   */
  setDelay(target: DelayTarget, ms: number): void {
    this.delayTable.set(target, ms);
    for (const s of this.registry.sessions()) s.setDelay(this.delayOf(s.id!));
    this.board.delays((name) => this.delayOf(name));
    const who = target === "all" ? "every node" : `"${target}"`;
    this.note("info", `added delay for ${who}: ${ms} ms`);
  }

  delays(): ReturnType<DelayTable["snapshot"]> {
    return this.delayTable.snapshot();
  }

  /** The delay added to a node's messages now, ms. */
  delayOf(name: NodeId): number {
    return this.delayTable.of(name);
  }

  /** The run under way from now on (its participants rejoin it), until leave(run). */
  enter(run: LobbyRun): void {
    this.run = run;
  }

  leave(run: LobbyRun): void {
    if (this.run === run) this.run = undefined;
  }

  /** After a round: the latest local time of each node that reported. */
  reported(names: readonly NodeId[]): void {
    for (const name of names) {
      const seconds = this.registry.current(name)?.lastLocalSeconds;
      if (seconds !== undefined) this.board.localSeconds(name, seconds);
    }
  }

  /** Refuses every connection from now on (closed 1001 "shutting down"). */
  stopAdmitting(): void {
    this.admitting = false;
  }

  /** Closes every connection with `code` and waits (2 s at most) until they are closed. */
  async closeAll(code: number, reason: string): Promise<void> {
    const sessions = this.registry.sessions();
    const closed = sessions.map((s) => s.whenClosed());
    for (const s of sessions) s.close(code, reason);
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(closed), new Promise((r) => (grace = setTimeout(r, 2000)))]);
    clearTimeout(grace);
  }

  private register(session: NodeSession, m: RegisterMessage, seq: number): void {
    const name = m.id;
    // The token first, before anything else is looked at (constant-time compare).
    if (!admitsNode(this.options, name, m.token)) {
      session.refuse(unauthorized(name), seq);
      return;
    }
    const holder = this.registry.current(name);
    if (holder !== undefined) {
      if (!hasOwnToken(this.options, name)) {
        session.refuse(nameTaken(name), seq);
        return;
      }
      // Its own token proves it is that node: the old connection is stale (lost state, half-open).
      this.note("warn", "registered again with its own token: its old connection is closed", name);
      holder.close(CloseCode.GoingAway, "replaced by a new connection");
    }
    const delayMs = this.delayOf(name);
    session.admit(name, delayMs);
    this.registry.register(name, session);
    this.board.online(name, delayMs);
    this.lastRegistration = performance.now();
    const run = this.run;
    const setup = run?.setupOf(name);
    if (run !== undefined && setup !== undefined) {
      this.note("info", `rejoined run "${run.runId}" as node ${setup.data.nodeIndex + 1}`, name);
      session.startRun(setup);
    } else {
      const count = this.registry.connected().length;
      const then = run === undefined ? "" : "; waits for the next run";
      this.note("info", `registered (${count} connected)${then}`, name);
    }
    this.changes.notify();
  }

  private readyChanged(session: NodeSession): void {
    const run = this.run;
    if (run !== undefined && session.id !== undefined && session.readyFor(run.runId)) {
      run.ready(session.id, session.dataSize);
      const ready = session.readyMessage;
      if (ready !== undefined) this.board.ready(session.id, ready);
    }
    this.changes.notify();
  }
}
