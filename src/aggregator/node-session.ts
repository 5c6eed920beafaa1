import type { FailureCode, RoundOutcome } from "../core/federation/link.js";
import type { RoundOrder } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";
import {
  type LogEntry,
  MESSAGE_NAMES,
  type MessageType,
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
import {
  type ConnectionClosed,
  type DelayTimers,
  type FramedConnection,
  type Received,
  realTimers,
} from "../transport/index.js";
import { type Answer, RoundWait } from "./round-wait.js";

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
  /** Timers of the round deadlines (fake ones in tests); default the real ones. */
  readonly timers?: DelayTimers;
}

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

/**
 * The aggregator's side of one node connection: registration, the Setup / Ready handshake of
 * each run, and the rounds, each answered by exactly one RoundOutcome (the result, or why there
 * is none: timeout, disconnection, a refused frame, the node's Error). Every frame is decoded and
 * validated once by the connection; this class decides what a message means now.
 *
 * Refused frames (malformed, unknown type, wrong version, wrong length, too large, or anything a
 * node may not send) get an Error with the code and the connection is closed. Frames of an
 * earlier run and results of a round already given up are dropped, with a note in the log.
 * Which round a result must carry is the decoder's rule (out-of-order): the session tells the
 * connection the round pending (its expectations), and never compares rounds itself.
 */
export class NodeSession {
  private readonly conn: FramedConnection;
  /** "ADDRESS:PORT" of the node's end. */
  readonly remote: string;
  private registeredAs: NodeId | undefined;
  /** Seconds the local updates of its latest RoundResult took; undefined before one. */
  lastLocalSeconds: number | undefined;
  private run: RunState | undefined;
  private readonly wait: RoundWait;
  private readonly hooks: SessionHooks;

  constructor(conn: FramedConnection, remote: string, hooks: SessionHooks) {
    this.conn = conn;
    this.remote = remote;
    this.hooks = hooks;
    this.wait = new RoundWait(conn.meter, hooks.timers ?? realTimers);
    const log = hooks.log;
    if (log !== undefined) {
      conn.onSent(({ message, frame }) => {
        const at = { time: hooks.now(), peer: this.peer, bytes: frame.bytes };
        log(messageLogEntry(message, { ...at, direction: "sent" }));
      });
    }
    conn.onMessage((r) => this.receive(r));
    conn.onClose((closed) => this.closed(closed));
  }

  /** The node's name once it has registered. */
  get id(): NodeId | undefined {
    return this.registeredAs;
  }

  /** Registers the connection as node `name` (token and name checked), with its added delay. */
  admit(name: NodeId, delayMs: number): void {
    this.registeredAs = name;
    this.conn.peer = name;
    this.setDelay(delayMs);
  }

  /** The delay added to every message to and from the node, ms; frames waiting are rescheduled. */
  setDelay(ms: number): void {
    this.conn.delayMs = ms;
  }

  /** Resolves once the connection has closed (its frames written). */
  whenClosed(): Promise<void> {
    return new Promise((resolve) => this.conn.onClose(() => resolve()));
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
    this.setExpectations();
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
    // No closure here refers to `order`: the timer would keep its weights alive until the node
    // answers (one copy per waiting node: memory growing with the number of nodes).
    const round = order.round;
    const answer = this.wait.ask(round, deadlineMs, () => {
      const error = timedOut(name, round, deadlineMs);
      this.settle({ ok: false, code: "timeout", message: error.message });
      this.hooks.log?.(noteLogEntry(this.hooks.now(), "warn", error.message, name));
      if (this.isOpen)
        this.conn.send({ type: "error", runId, code: error.code, message: error.message });
    });
    this.setExpectations();
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
        // The decoder has refused a result of another run or round than the pending one.
        if (this.wait.round === undefined) {
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
    r: { readonly seq?: number; readonly type?: MessageType; readonly runId?: RunId },
  ): void {
    // Late, not wrong: a frame of an earlier run, a result of a round other than the pending one.
    if (
      error.code === "stale-run" ||
      (error.code === "out-of-order" && r.type === "round-result")
    ) {
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
    if (this.wait.settle(outcome)) this.setExpectations();
  }

  /**
   * What the connection checks every frame against from now on: this run's id and number of
   * weights, and the round pending, if any (a result of any other is refused as out-of-order).
   */
  private setExpectations(): void {
    const run = this.run;
    const round = this.wait.round;
    this.conn.expectations =
      run === undefined
        ? {}
        : {
            runId: run.runId,
            modelSize: run.modelSize,
            ...(round === undefined ? {} : { expectedRound: round }),
          };
  }

  private abandonRound(code: FailureCode, message: string): void {
    this.settle({ ok: false, code, message });
  }

  private note(level: "info" | "warn", text: string): void {
    this.hooks.log?.(noteLogEntry(this.hooks.now(), level, text, this.peer));
  }
}
