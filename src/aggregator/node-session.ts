import type { FailureCode, RoundOutcome } from "../core/federation/link.js";
import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";
import {
  type LogEntry,
  MESSAGE_NAMES,
  messageLogEntry,
  noteLogEntry,
  type ProtocolError,
  type ReadyMessage,
  type RegisterMessage,
  type RunId,
  type SetupMessage,
  type SharedFrame,
  type StopMessage,
  timedOut,
  unexpected,
  unknownNode,
} from "../protocol/index.js";
import type {
  ByteCounts,
  ConnectionClosed,
  FramedConnection,
  Received,
} from "../transport/index.js";

/** What a session tells the aggregator that owns it. */
export interface SessionHooks {
  /** A valid Register arrived on a connection that had not registered yet. */
  onRegister(session: NodeSession, message: RegisterMessage, seq: number): void;
  /** The node became ready for its run, or failed to (an Error instead of Ready). */
  onReadyChange(session: NodeSession): void;
  /** The connection closed (once). */
  onClosed(session: NodeSession, closed: ConnectionClosed): void;
  /** The protocol log (none: no entry is even built). */
  readonly log?: (entry: LogEntry) => void;
  /** Wall clock for log lines, ms since 1970. */
  now(): number;
}

/** A round's answer before its bytes are added. */
type Answer =
  | { readonly ok: true; readonly report: RoundReport }
  | { readonly ok: false; readonly code: FailureCode; readonly message: string };

/** Where a session is in its run: waiting for Ready, ready, or failed to get ready. */
interface RunState {
  readonly runId: RunId;
  readonly modelSize: number;
  ready: boolean;
  dataSize: number;
  /** The node's Ready, once received: its label histogram and (opted in) preview. */
  readyMessage: ReadyMessage | undefined;
  /** Why the node will not be ready (its Error), if it said so. */
  failed: string | undefined;
}

/** A round asked of the node and not answered yet. */
interface PendingRound {
  readonly round: number;
  readonly mark: ByteCounts;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly resolve: (outcome: RoundOutcome) => void;
}

/**
 * The aggregator's side of one node connection: registration, the Setup / Ready handshake of
 * each run, and the rounds, each answered by exactly one RoundOutcome (the result, or why there
 * is none: timeout, disconnection, a refused frame, the node's Error). Every frame is decoded and
 * validated once by the connection; this class decides what a message means now.
 *
 * Refused frames (malformed, unknown type, wrong version, wrong length, too large, or anything a
 * node may not send) get an Error with the code and the connection is closed. Frames of an
 * earlier run and results of a round already given up are dropped, with a note in the log.
 */
export class NodeSession {
  readonly conn: FramedConnection;
  /** "ADDRESS:PORT" of the node's end. */
  readonly remote: string;
  /** The node's name once it has registered. */
  id: NodeId | undefined;
  /** Seconds the local updates of its latest RoundResult took; undefined before one. */
  lastLocalSeconds: number | undefined;
  private run: RunState | undefined;
  private pending: PendingRound | undefined;
  private readonly hooks: SessionHooks;

  constructor(conn: FramedConnection, remote: string, hooks: SessionHooks) {
    this.conn = conn;
    this.remote = remote;
    this.hooks = hooks;
    const log = hooks.log;
    if (log !== undefined) {
      conn.onSent(({ message, frame }) =>
        log(
          messageLogEntry(message, {
            time: hooks.now(),
            direction: "sent",
            peer: this.peer,
            bytes: frame.bytes,
          }),
        ),
      );
    }
    conn.onMessage((r) => this.receive(r));
    conn.onClose((closed) => this.closed(closed));
  }

  /** The name, or the address before registration. */
  get peer(): string {
    return this.id ?? this.remote;
  }

  get isOpen(): boolean {
    return this.conn.isOpen;
  }

  /** The run this session was set up for, if any. */
  get runId(): RunId | undefined {
    return this.run?.runId;
  }

  /** Ready for run `runId`: Setup sent and Ready received. */
  readyFor(runId: RunId): boolean {
    return this.isOpen && this.run?.runId === runId && this.run.ready;
  }

  /** Ready for run `runId`, or will not be (failed or closed): nothing more to wait for. */
  settledFor(runId: RunId): boolean {
    if (!this.isOpen || this.run?.runId !== runId) return !this.isOpen;
    return this.run.ready || this.run.failed !== undefined;
  }

  /** The Ready of the current run (data size, label histogram, preview), once received. */
  get readyMessage(): ReadyMessage | undefined {
    return this.run?.readyMessage;
  }

  /** D_i as the node's Ready said, 0 before. */
  get dataSize(): number {
    return this.run?.dataSize ?? 0;
  }

  /** Starts a run on this node: sends its Setup; Ready is expected next. */
  startRun(setup: SetupMessage): void {
    this.abandonRound("disconnected", `Node "${this.peer}" was set up for run "${setup.runId}"`);
    this.run = {
      runId: setup.runId,
      modelSize: setup.modelSize,
      ready: false,
      dataSize: 0,
      readyMessage: undefined,
      failed: undefined,
    };
    this.conn.expectations = { runId: setup.runId, modelSize: setup.modelSize };
    this.conn.send(setup);
  }

  /**
   * Sends a round order and resolves with the node's result, or with why there is none: the
   * deadline passed (the node is told with a timeout Error and stays connected), the connection
   * closed, or a frame was refused. Never rejects. `bytes`: sent and received in the meantime.
   * `shared`: this very RoundStart, already encoded once for every node of the round.
   */
  askRound(
    runId: RunId,
    order: RoundOrder,
    deadlineMs: number,
    shared?: SharedFrame,
  ): Promise<RoundOutcome> {
    const name = this.peer;
    if (!this.readyFor(runId)) {
      return Promise.resolve({
        ok: false,
        code: "disconnected",
        message: `Node "${name}" is not ready for run "${runId}"`,
      });
    }
    this.abandonRound("node-error", `Node "${name}" was asked round ${order.round}`);
    const mark = this.conn.meter.mark();
    // No closure here refers to `order`: the timer would keep its weights alive until the node
    // answers (one copy per waiting node: memory growing with the number of nodes).
    const round = order.round;
    const answer = new Promise<RoundOutcome>((resolve) => {
      const timer = setTimeout(() => {
        const error = timedOut(name, round, deadlineMs);
        this.settle({ ok: false, code: "timeout", message: error.message });
        this.hooks.log?.(noteLogEntry(this.hooks.now(), "warn", error.message, name));
        if (this.isOpen)
          this.conn.send({ type: "error", runId, code: error.code, message: error.message });
      }, deadlineMs);
      this.pending = { round, mark, timer, resolve };
    });
    if (shared !== undefined) this.conn.sendShared(shared);
    else this.conn.send({ type: "round-start", runId, order, deadlineMs });
    return answer;
  }

  /** Tells the node its run is over (protocol step 6). */
  sendStop(stop: StopMessage): void {
    this.abandonRound("disconnected", `Run "${stop.runId}" stopped`);
    if (this.isOpen) this.conn.send(stop);
  }

  /** Closes the connection once the frames already sent are written. */
  close(code: number, reason: string): void {
    this.abandonRound("disconnected", `The aggregator closed the connection to "${this.peer}"`);
    this.conn.close(code, reason);
  }

  private receive(r: Received): void {
    const { hooks } = this;
    if (!r.ok) {
      this.refused(r.error, r);
      return;
    }
    const m = r.message;
    hooks.log?.(
      messageLogEntry(m, {
        time: hooks.now(),
        direction: "received",
        peer: this.peer,
        bytes: r.bytes,
      }),
    );
    const what = MESSAGE_NAMES[m.type];
    if (m.type === "register") {
      if (this.id !== undefined) {
        this.refuse(unexpected(what, this.peer, "after register"), r.seq);
        return;
      }
      hooks.onRegister(this, m, r.seq);
      return;
    }
    if (this.id === undefined) {
      this.refuse(unknownNode(what, this.remote), r.seq);
      return;
    }
    switch (m.type) {
      case "heartbeat":
        return; // the node answers the aggregator's heartbeats; never answered back
      case "ready": {
        const run = this.run;
        if (run === undefined || run.runId !== m.runId || run.ready) {
          this.note("info", `dropped a ready for run "${m.runId}": not expected now`);
          return;
        }
        run.ready = true;
        run.dataSize = m.dataSize;
        run.readyMessage = m;
        hooks.onReadyChange(this);
        return;
      }
      case "round-result": {
        const p = this.pending;
        if (p === undefined || m.report.round !== p.round || this.run?.runId !== m.runId) {
          this.note("info", `dropped a late round result for round ${m.report.round}`);
          return;
        }
        this.lastLocalSeconds = m.report.localSeconds;
        this.settle({ ok: true, report: m.report });
        return;
      }
      case "error": {
        const why = `Node "${this.peer}" reported [${m.code}] ${m.message}`;
        this.settle({ ok: false, code: "node-error", message: why });
        if (this.run !== undefined && !this.run.ready && this.run.failed === undefined) {
          this.run.failed = why;
          hooks.onReadyChange(this);
        }
        return;
      }
      default:
        // setup, round-start, stop: the aggregator's messages, never a node's.
        this.refuse(unexpected(what, this.peer, "from a node"), r.seq);
    }
  }

  /** A frame the connection could not accept. */
  private refused(
    error: ProtocolError,
    r: { readonly seq?: number; readonly runId?: RunId },
  ): void {
    if (error.code === "stale-run" || error.code === "out-of-order") {
      this.note("info", `dropped: ${error.message}`);
      return;
    }
    this.refuse(error, r.seq, r.runId);
  }

  /** Sends the Error and closes; a round waiting on this node is left out. */
  refuse(error: ProtocolError, seq?: number, runId?: RunId): void {
    this.note("warn", `refused [${error.code}] ${error.message}; closing the connection`);
    this.settle({ ok: false, code: "invalid-report", message: error.message });
    this.conn.refuse(error, {
      ...(seq === undefined ? {} : { seq }),
      ...(runId === undefined ? {} : { runId }),
    });
  }

  private closed(closed: ConnectionClosed): void {
    const how = closed.byUs ? "closed" : `disconnected (code ${closed.code})`;
    this.settle({ ok: false, code: "disconnected", message: `Node "${this.peer}" ${how}` });
    if (this.id !== undefined && !closed.byUs) this.note("warn", how);
    this.hooks.onClosed(this, closed);
    this.hooks.onReadyChange(this);
  }

  /** Answers the pending round, if any, with `outcome` and the bytes since it was asked. */
  private settle(outcome: Answer): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    const used = this.conn.meter.since(p.mark);
    p.resolve({ ...outcome, bytes: used.bytesSent + used.bytesReceived });
  }

  private abandonRound(code: FailureCode, message: string): void {
    this.settle({ ok: false, code, message });
  }

  private note(level: "info" | "warn", text: string): void {
    this.hooks.log?.(noteLogEntry(this.hooks.now(), level, text, this.peer));
  }
}
