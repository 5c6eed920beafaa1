import type { Server as HttpServer } from "node:http";
import type { TauMode } from "../core/control/tau-policy.js";
import type { DatasetSplit } from "../core/data/dataset.js";
import type { DistributionCase } from "../core/data/partition.js";
import type { RunEnd } from "../core/federation/link.js";
import { measuredCosts } from "../core/federation/measured-costs.js";
import { type RoundEngineOptions, runFederation } from "../core/federation/round-engine.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { controllerConfigOf } from "../core/federation/run-config.js";
import type { RunResult } from "../core/federation/run-result.js";
import type { Kernels } from "../core/linalg/kernels.js";
import { getKernels } from "../core/linalg/select-kernels.js";
import type { NodeId, Tau } from "../core/units.js";
import { loadDataset } from "../datasets/load-dataset.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  type LogEntry,
  nameTaken,
  noteLogEntry,
  type RegisterMessage,
  type RunId,
  type SetupMessage,
  type StopReasonName,
  unauthorized,
} from "../protocol/index.js";
import {
  type AcceptedConnection,
  CloseCode,
  FramedServer,
  type ServerTls,
} from "../transport/index.js";
import { type AggregatorEvent, NodeBoard, type NodeStatus } from "./aggregator-events.js";
import { ChangeSignal } from "./change-signal.js";
import { checkResumeFits, type ResumePoint } from "./checkpoint-resume.js";
import { ConnectionsPerAddress } from "./connections-per-address.js";
import { type DelaySetting, DelayTable, type DelayTarget } from "./delay-table.js";
import { GlobalModel } from "./global-model.js";
import { budgetOf, type LearningSetup, runConfigOf, setupMessageOf } from "./learning-setup.js";
import { NodeRegistry } from "./node-registry.js";
import { NodeSession } from "./node-session.js";
import { admitsNode, hasOwnToken, type NodeTokens } from "./node-tokens.js";
import { DEFAULT_RESUME_WAIT_MS, waitForParticipants } from "./resume-wait.js";
import {
  DEFAULT_DEADLINE_FLOOR_MS,
  DEFAULT_DEADLINE_MULTIPLE,
  DEFAULT_ROUND_TIMEOUT_MS,
  type DeadlinePolicy,
  roundDeadlineMs,
} from "./round-deadline.js";
import { describeRound, tauChangeLine } from "./round-note.js";
import { RunCheckpoint, type RunIdentity } from "./run-checkpoint.js";
import { RunFiles, runFilePaths } from "./run-files.js";
import { type RunSummary, runSummary } from "./run-summary.js";
import { sharedRoundStarts } from "./shared-round-starts.js";
import { TestSample } from "./test-sample.js";
import { type LinkContext, WebSocketLink } from "./websocket-link.js";

/** With --min-nodes, a run starts once no node has registered for this long. */
export const JOIN_QUIET_MS = 1000;

/** What changes from one run to the next when several are given (e.g. every case, both tau modes). */
export interface RunVariant {
  readonly case: DistributionCase;
  readonly tau: TauMode;
}

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
  /** After each round of each run. */
  readonly onRound?: (
    event: RoundEvent,
    run: { readonly runId: RunId; readonly run: number },
  ) => void;
  /** After each run, with its summary. */
  readonly onRunEnd?: (summary: RunSummary, result: RunResult) => void;
  /** Serve the node protocol on this HTTP server (already listening; e.g. beside the dashboard). */
  readonly server?: HttpServer;
  /** Runs, rounds (with the verdicts on the test sample) and node changes, e.g. for a dashboard. */
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

/** The run under way: its id, and the Setup of each participant (sent again on rejoin). */
interface CurrentRun {
  readonly runId: RunId;
  readonly setups: ReadonlyMap<NodeId, SetupMessage>;
  readonly dataSizes: Map<NodeId, number>;
  fullRounds: number;
  costs: { c: number | null; b: number | null };
}

/**
 * The networked aggregator: listens for nodes, waits for enough of them, then makes its runs,
 * each by driving the round engine through one WebSocketLink per node, evaluating the global
 * model on the test set every round and writing rounds.jsonl, summary.json and weights.json.
 * When the runs are done it closes every connection normally (code 1000) and stops listening.
 *
 * In-process API (the dashboard's): `setDelay`, `delays`, `updateSetup`, `close`, `done`.
 */
export class Aggregator {
  /** Resolves with every run's summary once the runs are done (or the aggregator closed). */
  readonly done: Promise<RunSummary[]>;
  private readonly options: AggregatorOptions;
  private readonly server: FramedServer;
  private readonly registry = new NodeRegistry();
  private readonly changes = new ChangeSignal();
  private readonly delayTable: DelayTable;
  private readonly abort = new AbortController();
  private readonly policy: DeadlinePolicy;
  private readonly idPrefix = `r${Date.now().toString(36)}`;
  private readonly models = new Map<string, GlobalModel>();
  private connectionsPerAddress: ConnectionsPerAddress | undefined;
  private readonly samples = new Map<string, TestSample>();
  private readonly board: NodeBoard;
  /** Cancels the run under way only (restartRun, pauseRuns); `abort` ends everything. */
  private runAbort: AbortController | undefined;
  private paused = false;
  private readonly data: DatasetSplit;
  private setup: LearningSetup;
  private variants: readonly RunVariant[];
  private current: CurrentRun | undefined;
  private lastRegistrationAt = 0;
  private closing = false;

  private constructor(
    options: AggregatorOptions,
    server: FramedServer,
    delays: DelayTable,
    data: DatasetSplit,
    model: GlobalModel,
  ) {
    this.options = options;
    if (options.resumeFrom !== undefined)
      this.idPrefix = options.resumeFrom.checkpoint.plan.idPrefix;
    this.server = server;
    this.delayTable = delays;
    this.data = data;
    this.models.set(modelKey(options.setup), model);
    this.setup = options.setup;
    this.variants = options.variants ?? [];
    this.board = new NodeBoard((event) => options.onEvent?.(event));
    this.policy = {
      floorMs: options.deadlineFloorMs ?? DEFAULT_DEADLINE_FLOOR_MS,
      capMs: options.roundTimeoutMs ?? DEFAULT_ROUND_TIMEOUT_MS,
      multiple: DEFAULT_DEADLINE_MULTIPLE,
    };
    this.done = this.loop();
  }

  /**
   * Loads the data set and the model, starts listening, and starts waiting for nodes. Rejects
   * (with a sentence) when the data set cannot be loaded or the port cannot be bound.
   */
  static async start(options: AggregatorOptions): Promise<Aggregator> {
    checkOptions(options);
    if (options.resumeFrom !== undefined) checkResumeFits(options.resumeFrom, options);
    const delays = new DelayTable(options.delays ?? []);
    const data = options.data ?? (await loadDataset(options.setup.dataset));
    const kernels = options.kernels ?? getKernels("auto");
    const model = new GlobalModel(options.setup.model, data, options.setup.task, kernels);
    // Connections that arrive before the constructor has run wait in `early`.
    let self: Aggregator | undefined;
    const early: AcceptedConnection[] = [];
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
        (accepted) => {
          if (self === undefined) early.push(accepted);
          else self.accept(accepted);
        },
      );
    } catch (error) {
      model.dispose();
      throw error;
    }
    self = new Aggregator(options, server, delays, data, model);
    for (const a of early) self.accept(a);
    return self;
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
   * the per-node ones), from now on: frames already waiting are rescheduled.
   */
  setDelay(target: DelayTarget, ms: number): void {
    this.delayTable.set(target, ms);
    for (const s of this.registry.sessions()) s.conn.delayMs = this.delayTable.of(s.id!);
    this.board.delays((name) => this.delayTable.of(name));
    const who = target === "all" ? "every node" : `"${target}"`;
    this.note("info", `added delay for ${who}: ${ms} ms`);
  }

  delays(): ReturnType<DelayTable["snapshot"]> {
    return this.delayTable.snapshot();
  }

  /** Changes the setup from the next run on; a new case or tau ends the variant cycle. */
  updateSetup(patch: Partial<LearningSetup>): void {
    this.setup = { ...this.setup, ...patch };
    if (patch.case !== undefined || patch.tau !== undefined) this.variants = [];
  }

  /** The names of the nodes connected now, in registration order. */
  connectedNodes(): NodeId[] {
    return this.registry.connected();
  }

  /** The setup the next run takes (the variant cycle aside). */
  get learningSetup(): LearningSetup {
    return this.setup;
  }

  /** Every node seen so far, connected or not, in first-registration order. */
  nodeStatuses(): NodeStatus[] {
    return this.board.list();
  }

  /** The test samples whose verdicts the round events carry (`watchSample`), for this setup. */
  testSample(setup: LearningSetup = this.setup): TestSample | undefined {
    const count = this.options.watchSample ?? 0;
    if (count <= 0 || setup.dataset !== this.options.setup.dataset) return undefined;
    const key = JSON.stringify([setup.dataset, setup.task]);
    let sample = this.samples.get(key);
    if (sample === undefined) {
      sample = new TestSample(this.data.test, setup.task, count);
      this.samples.set(key, sample);
    }
    return sample;
  }

  /**
   * Ends the run under way (nodes get Stop "operator") and starts the next one at once, with the
   * setup as it is now (e.g. after updateSetup({ case })). Without a run going: nothing.
   */
  restartRun(): void {
    this.runAbort?.abort();
  }

  /** Ends the run under way and starts none until resumeRuns(). */
  pauseRuns(): void {
    if (this.paused) return;
    this.paused = true;
    this.note("info", "paused by the operator: no run until resumed");
    this.options.onEvent?.({ type: "paused", paused: true });
    this.runAbort?.abort();
    this.changes.notify();
  }

  /** Starts runs again after pauseRuns(). */
  resumeRuns(): void {
    if (!this.paused) return;
    this.paused = false;
    this.note("info", "resumed by the operator");
    this.options.onEvent?.({ type: "paused", paused: false });
    this.changes.notify();
  }

  get runsPaused(): boolean {
    return this.paused;
  }

  /** Stops the run under way (nodes get Stop "shutdown"), closes every connection, stops listening. */
  async close(): Promise<RunSummary[]> {
    this.closing = true;
    this.abort.abort();
    this.changes.notify();
    return this.done;
  }

  // --- Connections.

  private accept({ connection: conn, remote }: AcceptedConnection): void {
    conn.delayMs = this.delayTable.common;
    if (this.closing) {
      conn.close(CloseCode.GoingAway, "shutting down");
      return;
    }
    this.connectionsPerAddress ??= new ConnectionsPerAddress(this.options.maxConnectionsPerAddress);
    const tooMany = this.connectionsPerAddress.admit(conn, remote);
    if (tooMany !== undefined) {
      this.note("warn", `refused [${tooMany.code}] ${tooMany.message}`);
      conn.refuse(tooMany);
      conn.onMessage(() => {}); // nothing more is read; lets its close be reported
      return;
    }
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
      ...(this.options.log === undefined ? {} : { log: this.options.log }),
      now: () => Date.now(),
    });
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
    session.id = name;
    session.conn.peer = name;
    session.conn.delayMs = this.delayTable.of(name);
    this.registry.register(name, session);
    this.board.online(name, session.conn.delayMs);
    this.lastRegistrationAt = performance.now();
    const run = this.current;
    const setup = run?.setups.get(name);
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
    const run = this.current;
    if (run !== undefined && session.id !== undefined && session.readyFor(run.runId)) {
      run.dataSizes.set(session.id, session.dataSize);
      const ready = session.readyMessage;
      if (ready !== undefined) this.board.ready(session.id, ready);
    }
    this.changes.notify();
  }

  // --- Runs.

  private async loop(): Promise<RunSummary[]> {
    // Let start() and its caller finish (e.g. print the address) before the first run.
    await new Promise((resolve) => setImmediate(resolve));
    const summaries: RunSummary[] = [];
    try {
      for (let k = this.firstRun(); this.options.runs === 0 || k <= this.options.runs; k++) {
        if (!(await this.waitForRun(k))) break;
        summaries.push(await this.runOnce(k));
        if (this.closing) break;
      }
    } finally {
      await this.shutDown();
    }
    return summaries;
  }

  /** Run 1, or with resumeFrom the checkpoint's run (the next one if it was over). */
  private firstRun(): number {
    const p = this.options.resumeFrom;
    return p === undefined ? 1 : p.checkpoint.run.run + (p.finished ? 1 : 0);
  }

  /** The resume point when run k is the checkpoint's run, to go on with. */
  private resumedRun(k: number): ResumePoint | undefined {
    const p = this.options.resumeFrom;
    return p !== undefined && !p.finished && p.checkpoint.run.run === k ? p : undefined;
  }

  /** Before run k: enough nodes; a resumed run's own nodes (or some of them, after a while). */
  private async waitForRun(k: number): Promise<boolean> {
    const point = this.resumedRun(k);
    if (point === undefined) return this.waitForNodes();
    const { run, engine } = point.checkpoint;
    const cut = point.cutBytes > 0 ? `; cut ${point.cutBytes} bytes logged after it` : "";
    this.note(
      "info",
      `resuming run "${run.runId}" after round ${engine.round} from ${point.path}${cut}`,
    );
    if (engine.controller.plan === null) return !this.abort.signal.aborted;
    return waitForParticipants(run.participants, {
      connected: () => this.registry.connected(),
      changes: this.changes,
      signal: this.abort.signal,
      waitMs: this.options.resumeWaitMs ?? DEFAULT_RESUME_WAIT_MS,
      note: (level, text) => this.note(level, text),
    });
  }

  /** The engine's resume input (a resumed run) and, with --out, a checkpoint after every round. */
  private checkpointOptions(
    k: number,
    run: CurrentRun,
    files: RunFiles | undefined,
    identity: RunIdentity,
    t0: number,
  ): Pick<RoundEngineOptions, "resume" | "onSnapshot"> {
    const point = this.resumedRun(k);
    const resume =
      point === undefined
        ? {}
        : { resume: { snapshot: point.checkpoint.engine, events: point.events } };
    const out = this.options.out;
    if (files === undefined || out === undefined) return resume;
    const checkpoint = new RunCheckpoint(out, files, identity);
    if (this.options.resumeFrom === undefined && k === 1) checkpoint.discardOlder();
    return {
      ...resume,
      onSnapshot: (snapshot) =>
        checkpoint.save(snapshot, {
          plan: {
            nodes: this.options.nodes,
            minNodes: this.options.minNodes ?? null,
            runs: this.options.runs,
            setup: this.setup,
            variants: this.variants,
            idPrefix: this.idPrefix,
          },
          wallSeconds: (performance.now() - t0) / 1000,
          fullRounds: run.fullRounds,
          costs: run.costs,
          dataSizes: run.dataSizes,
        }),
    };
  }

  /** True once enough nodes are registered; false when the aggregator is closed meanwhile. */
  private async waitForNodes(): Promise<boolean> {
    const { nodes, minNodes } = this.options;
    let said = -1;
    for (;;) {
      if (this.abort.signal.aborted) return false;
      if (this.paused) {
        await this.changes.wait(60_000);
        continue;
      }
      const n = this.registry.connected().length;
      if (n >= nodes) return true;
      const quiet = performance.now() - this.lastRegistrationAt;
      if (minNodes !== undefined && n >= minNodes && quiet >= JOIN_QUIET_MS) return true;
      if (said < 0) {
        const least = minNodes === undefined ? "" : ` (or at least ${minNodes})`;
        this.note(
          "info",
          `waiting for ${nodes} node${nodes === 1 ? "" : "s"}${least}, ${n} connected`,
        );
        said = n;
      }
      await this.changes.wait(
        minNodes !== undefined && n >= minNodes ? JOIN_QUIET_MS - quiet : 60_000,
      );
    }
  }

  private setupOfRun(k: number): LearningSetup {
    const v = this.variants;
    if (v.length === 0) return this.setup;
    const pick = v[(k - 1) % v.length];
    return { ...this.setup, case: pick.case, tau: pick.tau };
  }

  private async modelOf(setup: LearningSetup): Promise<GlobalModel> {
    const key = modelKey(setup);
    let m = this.models.get(key);
    if (m === undefined) {
      const data =
        setup.dataset === this.options.setup.dataset ? this.data : await loadDataset(setup.dataset);
      m = new GlobalModel(
        setup.model,
        data,
        setup.task,
        this.options.kernels ?? getKernels("auto"),
      );
      this.models.set(key, m);
    }
    return m;
  }

  private async runOnce(k: number): Promise<RunSummary> {
    const resumed = this.resumedRun(k)?.checkpoint.run;
    const setup = resumed?.setup ?? this.setupOfRun(k);
    const model = await this.modelOf(setup);
    const runId: RunId = resumed?.runId ?? `${this.idPrefix}-${k}`;
    const participants = resumed ? [...resumed.participants] : this.registry.connected();
    const n = participants.length;
    const setups = new Map(
      participants.map((name, i) => [
        name,
        setupMessageOf(setup, { runId, modelSize: model.size }, i, n),
      ]),
    );
    const run: CurrentRun = {
      runId,
      setups,
      dataSizes: new Map(Object.entries(resumed?.dataSizes ?? {})),
      fullRounds: resumed?.fullRounds ?? 0,
      costs: { ...(resumed?.costs ?? { c: null, b: null }) },
    };
    this.current = run;
    // The run's own cancel: restartRun() and pauseRuns() end this run only; close() ends it too.
    const runAbort = new AbortController();
    const endRun = () => runAbort.abort();
    this.runAbort = runAbort;
    this.abort.signal.addEventListener("abort", endRun, { once: true });
    if (this.paused) runAbort.abort();
    const sample = this.testSample(setup);
    let verdicts: string[] | null = null;
    const startedAt = resumed === undefined ? new Date() : new Date(resumed.startedAt);
    // A resumed run's wall time goes on from the checkpoint's.
    const t0 = performance.now() - (resumed?.wallSeconds ?? 0) * 1000;
    const tau = setup.tau === "adaptive" ? "adaptive tau" : `tau ${setup.tau}`;
    this.note(
      "info",
      `run "${runId}" (${k}${this.options.runs === 0 ? "" : `/${this.options.runs}`}): ${setup.model.kind} on ${setup.dataset} ${setup.task}, case ${setup.case}, ${tau}, ${n} nodes: ${participants.join(", ")}`,
    );
    this.options.onEvent?.({
      type: "run-start",
      runId,
      run: k,
      setup,
      budgetSeconds: budgetOf(setup)?.time,
      nodes: participants,
      sample: sample?.items ?? [],
      at: startedAt.getTime(),
    });
    for (const name of participants) this.registry.current(name)?.startRun(setups.get(name)!);
    await this.changes.until(
      () =>
        participants.every((p) => {
          const s = this.registry.current(p);
          return s === undefined || s.settledFor(runId);
        }),
      this.policy.capMs,
      runAbort.signal,
    );
    const ready = participants.filter((p) => this.registry.current(p)?.readyFor(runId));
    if (ready.length < n) {
      const missing = participants.filter((p) => !ready.includes(p));
      this.note(
        "warn",
        `not ready: ${missing.join(", ")}; the run goes on without them until they are`,
      );
    }

    const files =
      this.options.out === undefined
        ? undefined
        : new RunFiles(
            runFilePaths(this.options.out, k, this.options.runs === 1),
            this.resumedRun(k)?.checkpoint.log,
          );
    const context: LinkContext = {
      runId,
      session: (id) => this.registry.current(id),
      deadlineMs: (id, t) => this.deadlineMs(run, id, t),
      roundStart: sharedRoundStarts(runId),
      stopReason: (end) => this.stopReason(setup, run, end),
    };
    const config = runConfigOf(setup, model.size, model.initialWeights(setup.seed));
    files?.writeController(controllerConfigOf(config));
    const result = await runFederation(config, {
      links: participants.map((name) => new WebSocketLink(name, context)),
      costs: measuredCosts(),
      evaluate: (w) => {
        verdicts = sample?.verdicts(model.model, w) ?? null;
        return model.evaluate(w);
      },
      signal: runAbort.signal,
      ...this.checkpointOptions(
        k,
        run,
        files,
        { run: k, runId, setup, participants, startedAt },
        t0,
      ),
      onRound: (event) => {
        const time = event.costs.time;
        run.costs = { c: time?.c ?? null, b: time?.b ?? null };
        if (event.kind !== "evaluation") run.fullRounds++;
        files?.appendRound(event);
        for (const f of event.failed) {
          this.note("warn", `left out of round ${event.round}: [${f.code}] ${f.message}`, f.id);
        }
        if (event.fault !== null) this.note("warn", event.fault.message);
        // Formatting the line costs CPU next to the nodes: only when somebody listens.
        if (this.options.log !== undefined) {
          this.note("info", describeRound(event, participants.length));
          const why = tauChangeLine(event);
          if (why !== null) this.note("info", why);
        }
        this.options.onRound?.(event, { runId, run: k });
        for (const id of event.reported) {
          const seconds = this.registry.current(id)?.lastLocalSeconds;
          if (seconds !== undefined) this.board.localSeconds(id, seconds);
        }
        this.options.onEvent?.({ type: "round", runId, run: k, event, verdicts });
        verdicts = null;
      },
    });
    this.current = undefined;
    this.abort.signal.removeEventListener("abort", endRun);
    if (this.runAbort === runAbort) this.runAbort = undefined;

    const test = model.evaluate(result.finalWeights);
    const summary = runSummary({
      runId,
      run: k,
      setup,
      result,
      nodes: participants.map((id) => ({ id, dataSize: run.dataSizes.get(id) ?? 0 })),
      test,
      trainLoss: model.trainLoss(result.finalWeights),
      startedAt,
      wallSeconds: (performance.now() - t0) / 1000,
    });
    files?.writeSummary(summary);
    files?.writeWeights(runId, result.finalWeights);
    const acc =
      summary.testAccuracy === null ? "" : `, test accuracy ${summary.testAccuracy.toFixed(4)}`;
    this.note(
      result.status === "completed" ? "info" : "warn",
      `run "${runId}" ${result.status}${result.error ? `: ${result.error.message}` : ""}: ${result.rounds} rounds, ${result.iterations} iterations, mean tau ${summary.meanTau.toFixed(2)}, loss ${summary.finalLoss?.toPrecision(5) ?? "n/a"}${acc}`,
    );
    this.options.onRunEnd?.(summary, result);
    this.options.onEvent?.({
      type: "run-end",
      runId,
      run: k,
      reason: this.stopReason(setup, run, {
        reason: result.status,
        finalWeights: result.finalWeights,
      }).reason,
      summary,
      result,
      at: Date.now(),
    });
    return summary;
  }

  private deadlineMs(run: CurrentRun, id: NodeId, tau: Tau): number {
    return roundDeadlineMs(
      { tau, c: run.costs.c, b: run.costs.b, addedDelayMs: this.delayTable.of(id) },
      this.policy,
    );
  }

  private stopReason(
    setup: LearningSetup,
    run: CurrentRun,
    end: RunEnd,
  ): { reason: StopReasonName; message: string } {
    switch (end.reason) {
      case "completed":
        return setup.rounds !== undefined && run.fullRounds >= setup.rounds
          ? { reason: "round-limit", message: `round limit of ${setup.rounds} reached` }
          : { reason: "budget-spent", message: `budget spent after ${run.fullRounds} rounds` };
      case "cancelled":
        return this.closing
          ? { reason: "shutdown", message: "the aggregator is shutting down" }
          : { reason: "operator", message: "stopped by the operator" };
      case "failed":
        return { reason: "error", message: "the run failed" };
    }
  }

  /** Closes every connection normally (nodes exit), then stops listening. */
  private async shutDown(): Promise<void> {
    const sessions = this.registry.sessions();
    const closed = sessions.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.conn.onClose(() => resolve());
        }),
    );
    const code = this.closing ? CloseCode.GoingAway : CloseCode.Normal;
    for (const s of sessions) s.close(code, this.closing ? "shutting down" : "done");
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(closed), new Promise((r) => (grace = setTimeout(r, 2000)))]);
    clearTimeout(grace);
    await this.server.close();
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }

  private note(level: "info" | "warn", text: string, peer?: NodeId): void {
    this.options.log?.(noteLogEntry(Date.now(), level, text, peer));
  }
}

function modelKey(s: LearningSetup): string {
  return JSON.stringify([s.model, s.dataset, s.task]);
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
