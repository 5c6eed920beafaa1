import { Rng } from "../core/data/rng.js";
import type { Kernels } from "../core/linalg/kernels.js";
import { getKernels } from "../core/linalg/select-kernels.js";
import type { RoundReport } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";
import {
  createMessageLog,
  type ErrorMessage,
  errorReply,
  internal,
  MESSAGE_NAMES,
  type MessageLog,
  messageLogEntry,
  noteLogEntry,
  type ProtocolMessage,
  type RoundStartMessage,
  type SetupMessage,
  type StopMessage,
  unexpected,
} from "../protocol/index.js";
import {
  Backoff,
  type BackoffOptions,
  CloseCode,
  type ConnectionClosed,
  connectFramed,
  type FramedConnection,
  isTrustFailure,
  type Received,
} from "../transport/index.js";
import { isFatalRefusal } from "./fatal-refusals.js";
import { nameSeed } from "./name-seed.js";
import { type LoadSplit, NodeDataLoader } from "./node-data.js";
import type { NodeExit } from "./node-exit.js";
import { NodeRun } from "./node-run.js";

export interface EdgeNodeOptions {
  /** The aggregator's address, ws://HOST:PORT. */
  readonly aggregator: string;
  /** The node's name (`--name`): 1 to 64 characters from [A-Za-z0-9._-]. */
  readonly id: NodeId;
  /** Shared secret the aggregator checks; default "". */
  readonly token?: string;
  /** The node's own data set spec (--data), overriding the assignment. */
  readonly ownData?: string;
  /** Added delay in ms for every message, both directions; default 0. */
  readonly delayMs?: number;
  /** Send a few samples in Ready for the dashboard; default false (a real node sends none). */
  readonly sharePreview?: boolean;
  /** Largest frame accepted from the aggregator. */
  readonly maxMessageBytes?: number;
  /** wss:// only: the CA certificate (PEM) to trust for the aggregator (`--ca`). */
  readonly ca?: string;
  /** Where the protocol log goes; default nowhere. */
  readonly log?: MessageLog;
  /** Reconnection waits; default 250 ms doubling to 10 s, jittered from a stream seeded by the name. */
  readonly backoff?: BackoffOptions;
  /** Loads a data set by spec; default loadDataset. */
  readonly loadSplit?: LoadSplit;
  /** The linear algebra kernels; default getKernels() (WebAssembly SIMD where available). */
  readonly kernels?: Kernels;
  /** Sent in Register, for the aggregator's logs. */
  readonly software?: string;
  /** Wall clock for log lines, ms since 1970; default Date.now. */
  readonly wallClock?: () => number;
  /** A steady clock in ms for the node's own round deadline; default performance.now. */
  readonly steadyClock?: () => number;
}

const SOFTWARE = "fedtau 0.1.0 node";

/**
 * Local updates between two turns of the event loop, in seconds: a long round (a hostile
 * aggregator may ask for a million updates) never keeps Stop, heartbeats, the node's own
 * deadline or SIGINT waiting for longer than this.
 */
const SLICE_SECONDS = 0.02;

/** One turn of the event loop: pending messages, timers and signal handlers run. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * An edge node (`fedtau node`): connects to the aggregator, registers, and for each run loads its
 * data (locally: raw samples never leave it), trains round after round with a LocalTrainer, and
 * reports; reconnects with back-off when the connection drops, and ends on Stop. Several can run
 * in one process: everything is per instance.
 *
 * `run()` resolves with how the node ended: code 0 after a Stop (reason shutdown or node-removed,
 * or any Stop followed by the aggregator closing normally) or `stop()`; 1 when refused for good
 * (wrong token, wrong version, bad name).
 */
export class EdgeNode {
  readonly id: NodeId;
  private readonly options: EdgeNodeOptions;
  private readonly log: MessageLog;
  private readonly now: () => number;
  private readonly steadyNow: () => number;
  private readonly backoff: Backoff;
  private readonly loader: NodeDataLoader;
  private kernels: Kernels | undefined;
  private delay: number;
  private conn: FramedConnection | undefined;
  private current: NodeRun | undefined;
  /** A Stop came and no Setup since: a normal close then ends the node. */
  private afterStop: StopMessage | undefined;
  private exit: NodeExit | undefined;
  private running: Promise<NodeExit> | undefined;
  /** Messages are handled one after the other (a Setup loads data asynchronously). */
  private work: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(options: EdgeNodeOptions) {
    this.options = options;
    this.id = options.id;
    this.log = options.log ?? createMessageLog({ format: "text", quiet: true, line: () => {} });
    this.now = options.wallClock ?? Date.now;
    this.steadyNow = options.steadyClock ?? (() => performance.now());
    this.delay = options.delayMs ?? 0;
    this.backoff = new Backoff({ rng: new Rng(nameSeed(options.id)), ...options.backoff });
    this.loader = new NodeDataLoader(options.loadSplit, options.ownData);
  }

  /** The added delay in ms, both directions; changing it applies to the live connection at once. */
  get delayMs(): number {
    return this.delay;
  }

  set delayMs(ms: number) {
    if (this.conn !== undefined) this.conn.delayMs = ms;
    this.delay = ms;
  }

  /** The current run's id, once a Setup came. */
  get runId(): string | undefined {
    return this.current?.runId;
  }

  /** Rounds run in the current run. */
  get rounds(): number {
    return this.current?.rounds ?? 0;
  }

  /** Connects and works until stopped or refused; resolves with how the node ended. */
  run(): Promise<NodeExit> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Ends the node (the operator's Ctrl-C): closes the connection; run() resolves with code 0. */
  stop(message = "stopped"): void {
    this.finish({ code: 0, message });
    this.conn?.close(CloseCode.GoingAway, "node stopping");
    this.wake?.();
  }

  private async loop(): Promise<NodeExit> {
    const url = this.options.aggregator;
    while (this.exit === undefined) {
      let conn: FramedConnection;
      try {
        conn = await connectFramed(url, {
          peer: "aggregator",
          delayMs: this.delay,
          ...(this.options.maxMessageBytes === undefined
            ? {}
            : { maxMessageBytes: this.options.maxMessageBytes }),
          ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
        });
      } catch (error) {
        if (this.exit !== undefined) break;
        if (isTrustFailure(error)) {
          this.finish({ code: 1, message: `Will not trust the aggregator: ${reason(error)}` });
          break;
        }
        const wait = this.backoff.next();
        this.note("warn", `${reason(error)}; trying again in ${Math.round(wait)} ms`);
        await this.sleep(wait);
        continue;
      }
      if (this.exit !== undefined) {
        conn.close(CloseCode.GoingAway, "node stopping");
        break;
      }
      const closed = await this.session(conn);
      if (this.exit !== undefined) break;
      if (closed.code === CloseCode.Normal && this.afterStop !== undefined) {
        const stop = this.afterStop;
        this.finish({
          code: 0,
          message: `The aggregator ended the session after run "${stop.runId}" (${stop.reason})`,
        });
        break;
      }
      const wait = this.backoff.next();
      this.note(
        "warn",
        `connection closed (code ${closed.code}${closed.reason ? `, ${closed.reason}` : ""}); reconnecting in ${Math.round(wait)} ms`,
      );
      await this.sleep(wait);
    }
    this.current?.dispose();
    this.current = undefined;
    const exit = this.exit ?? { code: 0, message: "stopped" };
    this.note(exit.code === 0 ? "info" : "warn", exit.message);
    return exit;
  }

  /** One connection, from Register to its close (and the handling of every message before it). */
  private session(conn: FramedConnection): Promise<ConnectionClosed> {
    this.conn = conn;
    const run = this.current;
    conn.expectations =
      run === undefined ? {} : { runId: run.runId, modelSize: run.setup.modelSize };
    if (run !== undefined) conn.vectorEncoding = run.setup.vectorEncoding;
    conn.onSent(({ message, frame }) => this.logMessage("sent", message, frame.bytes));
    this.note("info", `connected to ${this.options.aggregator}`);
    const closed = new Promise<ConnectionClosed>((resolve) => {
      conn.onClose((c) => {
        // Done once every message received before the close has been handled.
        this.work = this.work.then(() => {
          if (this.conn === conn) this.conn = undefined;
          resolve(c);
        });
      });
    });
    conn.onMessage((r) => {
      const receivedAt = this.steadyNow();
      // A Stop must reach a round that is running now, not wait behind it in the queue.
      if (r.ok && r.message.type === "stop" && this.current?.runId === r.message.runId) {
        this.current.stopArrived = true;
      }
      this.work = this.work.then(() => this.handle(conn, r, receivedAt));
    });
    conn.send({
      type: "register",
      id: this.id,
      token: this.options.token ?? "",
      capabilities: { float32Vectors: true, sharePreview: this.options.sharePreview === true },
      software: this.options.software ?? SOFTWARE,
    });
    return closed;
  }

  private async handle(conn: FramedConnection, r: Received, receivedAt: number): Promise<void> {
    if (!conn.isOpen || this.exit !== undefined) return;
    if (!r.ok) {
      if (r.error.code === "stale-run") {
        this.note("info", `dropped a late ${MESSAGE_NAMES[r.type ?? "error"]} of run "${r.runId}"`);
        return;
      }
      this.note("warn", `${r.error.message}: answered with an error, closing`);
      conn.refuse(r.error, r);
      return;
    }
    const message = r.message;
    this.logMessage("received", message, r.bytes);
    if (message.type !== "error") this.backoff.reset();
    try {
      switch (message.type) {
        case "setup":
          await this.onSetup(conn, message);
          return;
        case "round-start":
          await this.onRoundStart(conn, message, receivedAt);
          return;
        case "stop":
          this.onStop(conn, message);
          return;
        case "heartbeat":
          conn.send({
            type: "heartbeat",
            ...(this.current === undefined ? {} : { runId: this.current.runId }),
            sentAtMs: this.now(),
          });
          return;
        case "error":
          this.onError(conn, message);
          return;
        default:
          conn.send(
            errorReply(
              unexpected(MESSAGE_NAMES[message.type], "aggregator", "from an aggregator"),
              {
                seq: r.seq,
              },
            ),
          );
      }
    } catch (error) {
      // A fault of this node, not of the message: say so, keep going.
      const failure = internal(`Node "${this.id}" failed: ${reason(error)}`);
      this.note("warn", failure.message);
      if (conn.isOpen) conn.send(errorReply(failure, { seq: r.seq }));
    }
  }

  private async onSetup(conn: FramedConnection, setup: SetupMessage): Promise<void> {
    this.afterStop = undefined;
    conn.expectations = { runId: setup.runId, modelSize: setup.modelSize };
    conn.vectorEncoding = setup.vectorEncoding;
    const sharePreview = this.options.sharePreview === true;
    if (this.current?.isSameRun(setup)) {
      // A rejoin: the run goes on from where this node was.
      conn.send(this.current.ready(sharePreview));
      return;
    }
    this.current?.dispose();
    this.current = undefined;
    const cannotStart = (why: string, local = why) => {
      const start = `Node "${this.id}" cannot start run "${setup.runId}"`;
      this.note("warn", `${start}: ${local}`);
      if (conn.isOpen) conn.send(errorReply(internal(`${start}: ${why}`), { runId: setup.runId }));
    };
    let loaded: Awaited<ReturnType<NodeDataLoader["forAssignment"]>>;
    try {
      loaded = await this.loader.forAssignment(setup.data);
    } catch (error) {
      // The reason stays here: it may quote the file's content, or tell which paths exist.
      cannotStart("its data could not be loaded (the reason is in the node's log)", reason(error));
      return;
    }
    const reloaded = loaded.reloaded;
    let run: NodeRun;
    try {
      this.kernels ??= this.options.kernels ?? getKernels();
      run = NodeRun.create(setup, loaded.data, this.kernels);
    } catch (error) {
      cannotStart(reason(error));
      return;
    }
    this.current = run;
    this.note(
      "info",
      `${reloaded ? "loaded" : "kept"} ${run.data.batch.rows} samples: ${run.data.description}`,
    );
    if (conn.isOpen) conn.send(run.ready(sharePreview));
  }

  private async onRoundStart(
    conn: FramedConnection,
    start: RoundStartMessage,
    receivedAt: number,
  ): Promise<void> {
    const run = this.current;
    if (run === undefined || run.runId !== start.runId || run.stopped) {
      const when = run?.stopped === true ? "after stop" : "before setup";
      conn.send(errorReply(unexpected("round start", "aggregator", when), { runId: start.runId }));
      return;
    }
    const { round, tau } = start.order;
    if (run.stopArrived) {
      // The Stop came after this order on the wire, and is handled next.
      this.note("info", `round ${round} (tau ${tau}) skipped: the run was stopped`);
      return;
    }
    const deadlineAt =
      start.deadlineMs === undefined ? Number.POSITIVE_INFINITY : receivedAt + start.deadlineMs;
    let why: string | undefined;
    let report: RoundReport | null;
    try {
      report = await run.runRound(start.order, {
        sliceSeconds: SLICE_SECONDS,
        pause: nextTurn,
        giveUp: () => {
          if (run.stopArrived) why = "the run was stopped";
          else if (this.exit !== undefined) why = "the node is stopping";
          else if (!conn.isOpen) why = "the connection closed";
          else if (this.steadyNow() > deadlineAt) {
            why = `its deadline of ${start.deadlineMs} ms passed`;
          }
          return why !== undefined;
        },
      });
    } catch (error) {
      const failure = internal(
        `Node "${this.id}" failed in round ${round} of run "${run.runId}": ${reason(error)}`,
      );
      this.note("warn", failure.message);
      if (conn.isOpen) conn.send(errorReply(failure, { runId: run.runId }));
      return;
    }
    if (report === null) {
      // Nothing is sent: the aggregator no longer waits for this round (it stopped, or it has
      // counted the node out at the same deadline).
      this.note("warn", `round ${round} (tau ${tau}) given up: ${why}`);
      return;
    }
    if (conn.isOpen) conn.send({ type: "round-result", runId: run.runId, report });
  }

  private onStop(conn: FramedConnection, stop: StopMessage): void {
    const run = this.current;
    if (run !== undefined && run.runId === stop.runId) run.stopped = true;
    this.afterStop = stop;
    if (stop.reason === "shutdown" || stop.reason === "node-removed") {
      this.finish({
        code: 0,
        message: `Stopped by the aggregator (${stop.reason})${stop.message ? `: ${stop.message}` : ""}`,
      });
      conn.close(CloseCode.Normal, "stopped");
    }
  }

  private onError(conn: FramedConnection, error: ErrorMessage): void {
    if (!isFatalRefusal(error.code)) return;
    this.finish({
      code: 1,
      message: `Refused by the aggregator at ${this.options.aggregator}: ${error.message}`,
    });
    conn.close(CloseCode.Normal, "refused");
  }

  private finish(exit: NodeExit): void {
    this.exit ??= exit;
  }

  /** Waits `ms`, or less if the node is stopped meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  private logMessage(
    direction: "sent" | "received",
    message: ProtocolMessage,
    bytes: number,
  ): void {
    this.log.write(
      messageLogEntry(message, { time: this.now(), direction, peer: "aggregator", bytes }),
    );
  }

  private note(level: "info" | "warn", text: string): void {
    this.log.write(noteLogEntry(this.now(), level, text, this.id));
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
