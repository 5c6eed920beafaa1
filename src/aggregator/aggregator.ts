import type { Server as HttpServer } from "node:http";
import type { DatasetSplit } from "../core/data/dataset.js";
import type { Kernels } from "../core/linalg/kernels.js";
import type { NodeId } from "../core/units.js";
import { DEFAULT_MAX_MESSAGE_BYTES, type LogEntry, noteLogEntry } from "../protocol/index.js";
import { CloseCode, FramedServer, type ServerTls } from "../transport/index.js";
import type { AggregatorEvent, NodeStatus, Note } from "./aggregator-events.js";
import { checkResumeFits, type ResumePoint } from "./checkpoint-resume.js";
import type { DelaySetting, DelayTarget } from "./delay-table.js";
import type { LearningSetup, RunVariant } from "./learning-setup.js";
import { ModelCache } from "./model-cache.js";
import { NodeLobby } from "./node-lobby.js";
import type { NodeTokens } from "./node-tokens.js";
import {
  DEFAULT_DEADLINE_FLOOR_MS,
  DEFAULT_DEADLINE_MULTIPLE,
  DEFAULT_ROUND_TIMEOUT_MS,
} from "./round-deadline.js";
import { RunSchedule } from "./run-schedule.js";
import type { RunSummary } from "./run-summary.js";

export interface AggregatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port (see `port` once started). */
  readonly port?: number;
  /** A run starts when this many nodes have registered. */
  readonly nodes: number;
  /** Or with at least this many, once none has registered for JOIN_QUIET_MS. */
  readonly minNodes?: number;
  /** Runs to make; 0 = until closed. */
  readonly runs: number;
  readonly setup: LearningSetup;
  /** Run k takes variants[(k - 1) % length] over the setup's case and tau. */
  readonly variants?: readonly RunVariant[];
  /** The cap of a round's deadline, ms (`--round-timeout`); also how long Ready is awaited. */
  readonly roundTimeoutMs?: number;
  /** The floor of a round's deadline, ms. */
  readonly deadlineFloorMs?: number;
  readonly maxMessageBytes?: number;
  /** Nodes must present it; undefined or "": no token needed. */
  readonly token?: string;
  /** Per-node tokens (`--tokens FILE`): a listed node needs its own token (docs/security.md). */
  readonly nodeTokens?: NodeTokens;
  /** Serve wss:// with this certificate and key (`--tls-cert`, `--tls-key`); not with `server`. */
  readonly tls?: ServerTls;
  /** Most messages one connection may send per second (token bucket); default: no limit. */
  readonly maxMessagesPerSecond?: number;
  /** Most open connections from one address; default: no limit. */
  readonly maxConnectionsPerAddress?: number;
  readonly delays?: readonly DelaySetting[];
  /** Directory of the run files; none written when undefined. */
  readonly out?: string;
  /** The protocol log; default: none. */
  readonly log?: (entry: LogEntry) => void;
  /** Default: the fastest available (WebAssembly SIMD). */
  readonly kernels?: Kernels;
  /** The data set, already loaded (else loaded by its spec). */
  readonly data?: DatasetSplit;
  /** Serve the node protocol on this HTTP server (already listening; e.g. beside the dashboard). */
  readonly server?: HttpServer;
  /**
   * The aggregator's one event stream: runs starting and ending (with the summary and the
   * engine's result), every round (its RoundEvent, with the verdicts on the test sample), node
   * changes, pausing. Observers filter it (`event.type`).
   */
  readonly onEvent?: (event: AggregatorEvent) => void;
  /** Test rows whose predictions each round event carries (default 0: none). */
  readonly watchSample?: number;
  /**
   * Go on with the run of a checkpoint (loadResumePoint(--resume DIR)); `setup`, `runs` and
   * `nodes` must be the checkpoint's. With `out`, a checkpoint is saved after every round.
   */
  readonly resumeFrom?: ResumePoint;
  /** How long a resumed run waits for all its nodes to reconnect (default 30 s). */
  readonly resumeWaitMs?: number;
}

/**
 * The networked aggregator, a facade over its parts: the NodeLobby admits nodes (tokens,
 * per-address limits, registration, Ready, delays), the RunSchedule makes the runs one after
 * another (enough nodes, variants, pause, restart, resume), each a NetworkedRun (setups, links,
 * engine, files, checkpoint, summary), and the ModelCache keeps the models and test samples.
 * When the runs are done it closes every connection normally (code 1000) and stops listening.
 *
 * In-process API (the dashboard's): `setDelay`, `delays`, `updateSetup`, `restartRun`,
 * `pauseRuns`, `resumeRuns`, `close`, `done`.
 */
export class Aggregator {
  /** Resolves with every run's summary once the runs are done (or the aggregator closed). */
  readonly done: Promise<RunSummary[]>;
  private closing = false;

  private constructor(
    private readonly server: FramedServer,
    private readonly lobby: NodeLobby,
    private readonly schedule: RunSchedule,
    private readonly models: ModelCache,
  ) {
    this.done = schedule.finished.finally(() => this.shutDown());
  }

  /**
   * Loads the data set and the model and starts listening; the runs begin with begin(). Rejects
   * (with a sentence) when the data set cannot be loaded or the port cannot be bound.
   */
  static async listen(options: AggregatorOptions): Promise<Aggregator> {
    checkOptions(options);
    if (options.resumeFrom !== undefined) checkResumeFits(options.resumeFrom, options);
    const emit = (event: AggregatorEvent) => options.onEvent?.(event);
    const log = options.log;
    const note: Note = (level, text, peer) => log?.(noteLogEntry(Date.now(), level, text, peer));
    // The lobby (which checks the delays) exists before the first connection can arrive.
    const lobby = new NodeLobby(options, emit, note);
    const models = await ModelCache.open(options);
    let server: FramedServer;
    try {
      server = await FramedServer.listen(
        {
          host: options.host ?? "127.0.0.1",
          port: options.port ?? 0,
          maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
          ...(options.server === undefined ? {} : { server: options.server }),
          ...(options.tls === undefined ? {} : { tls: options.tls }),
          ...(options.maxMessagesPerSecond === undefined
            ? {}
            : { maxMessagesPerSecond: options.maxMessagesPerSecond }),
        },
        (accepted) => lobby.accept(accepted),
      );
    } catch (error) {
      models.dispose();
      throw error;
    }
    const schedule = new RunSchedule(options, {
      lobby,
      models,
      policy: {
        floorMs: options.deadlineFloorMs ?? DEFAULT_DEADLINE_FLOOR_MS,
        capMs: options.roundTimeoutMs ?? DEFAULT_ROUND_TIMEOUT_MS,
        multiple: DEFAULT_DEADLINE_MULTIPLE,
      },
      emit,
      note,
      describeRounds: log !== undefined,
    });
    return new Aggregator(server, lobby, schedule, models);
  }

  /** listen(), then begin(): for callers that print nothing in between. */
  static async start(options: AggregatorOptions): Promise<Aggregator> {
    const aggregator = await Aggregator.listen(options);
    aggregator.begin();
    return aggregator;
  }

  /** Starts the runs: the first waits for enough nodes. Once; `done` resolves when they end. */
  begin(): Promise<RunSummary[]> {
    this.schedule.begin();
    return this.done;
  }

  /** ws://HOST:PORT */
  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.address.port;
  }

  /**
   * Sets the delay added to every message to and from one node, or all nodes ("all" also clears
   * the per-node ones), from now on: live connections too, frames already waiting rescheduled.
   */
  setDelay(target: DelayTarget, ms: number): void {
    this.lobby.setDelay(target, ms);
  }

  delays(): ReturnType<NodeLobby["delays"]> {
    return this.lobby.delays();
  }

  /** Changes the setup from the next run on; a new case or tau ends the variant cycle. */
  updateSetup(patch: Partial<LearningSetup>): void {
    this.schedule.updateSetup(patch);
  }

  /** The names of the nodes connected now, in registration order. */
  connectedNodes(): NodeId[] {
    return this.lobby.connected();
  }

  /** The setup the next run takes (the variant cycle aside). */
  get learningSetup(): LearningSetup {
    return this.schedule.learningSetup;
  }

  /** Every node seen so far, connected or not, in first-registration order. */
  nodeStatuses(): NodeStatus[] {
    return this.lobby.statuses();
  }

  /**
   * Ends the run under way (nodes get Stop "operator") and starts the next one at once, with the
   * setup as it is now (e.g. after updateSetup({ case })). Without a run going: nothing.
   */
  restartRun(): void {
    this.schedule.restart();
  }

  /** Ends the run under way and starts none until resumeRuns(). */
  pauseRuns(): void {
    this.schedule.pause();
  }

  /** Starts runs again after pauseRuns(). */
  resumeRuns(): void {
    this.schedule.resume();
  }

  get runsPaused(): boolean {
    return this.schedule.isPaused;
  }

  /** Stops the run under way (nodes get Stop "shutdown"), closes every connection, stops listening. */
  async close(): Promise<RunSummary[]> {
    this.closing = true;
    this.lobby.stopAdmitting();
    this.schedule.close();
    return this.done;
  }

  /** Closes every connection normally (nodes exit), then stops listening. */
  private async shutDown(): Promise<void> {
    await (this.closing
      ? this.lobby.closeAll(CloseCode.GoingAway, "shutting down")
      : this.lobby.closeAll(CloseCode.Normal, "done"));
    await this.server.close();
    this.models.dispose();
  }
}

function checkOptions(o: AggregatorOptions): void {
  const int = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!int(o.nodes, 1)) throw new RangeError(`--nodes must be an integer >= 1, got ${o.nodes}`);
  if (o.minNodes !== undefined && !(int(o.minNodes, 1) && o.minNodes <= o.nodes)) {
    throw new RangeError(
      `--min-nodes must be an integer from 1 to --nodes (${o.nodes}), got ${o.minNodes}`,
    );
  }
  if (!int(o.runs, 0)) throw new RangeError(`--runs must be an integer >= 0, got ${o.runs}`);
  if (o.tls !== undefined && o.server !== undefined) {
    throw new RangeError("TLS goes on the server passed in `server`: give tls or server, not both");
  }
}
