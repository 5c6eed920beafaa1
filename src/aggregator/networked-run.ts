import { measuredCosts } from "../core/federation/measured-costs.js";
import { RoundEngine, type RoundEngineOptions } from "../core/federation/round-engine.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { controllerConfigOf, type RunConfig } from "../core/federation/run-config.js";
import type { RunResult } from "../core/federation/run-result.js";
import type { NodeId, Tau } from "../core/units.js";
import type { RunId, SetupMessage } from "../protocol/index.js";
import type { AggregatorEvent, Note } from "./aggregator-events.js";
import type { CheckpointPlan } from "./checkpoint.js";
import type { ResumePoint } from "./checkpoint-resume.js";
import type { GlobalModel } from "./global-model.js";
import { budgetOf, type LearningSetup, runConfigOf, setupMessageOf } from "./learning-setup.js";
import type { LobbyRun, NodeLobby } from "./node-lobby.js";
import { type DeadlinePolicy, roundDeadlineMs } from "./round-deadline.js";
import { describeRound, tauChangeLine } from "./round-note.js";
import { RunCheckpoint } from "./run-checkpoint.js";
import { RunFiles, runFilePaths } from "./run-files.js";
import { type RunSummary, runSummary } from "./run-summary.js";
import { sharedRoundStarts } from "./shared-round-starts.js";
import { type CancelCause, stopNoticeOf } from "./stop-notice.js";
import type { TestSample } from "./test-sample.js";
import { type LinkContext, WebSocketLink } from "./websocket-link.js";

/** Which run this is, with what and whom: the schedule's choice. */
export interface RunAssignment {
  /** 1, 2, ... within the aggregator. */
  readonly k: number;
  /** The aggregator's --runs (0: until closed). */
  readonly runs: number;
  readonly runId: RunId;
  readonly setup: LearningSetup;
  /** Node names in node order: node i gets data part i and link i. */
  readonly participants: readonly NodeId[];
  /** The checkpoint this run goes on from, if it is a resumed run. */
  readonly resumed?: ResumePoint;
}

/** What a run works with, given by the schedule that makes it. */
export interface RunResources {
  readonly lobby: NodeLobby;
  readonly model: GlobalModel;
  /** The test rows whose verdicts each round event carries; none without watchSample. */
  readonly sample: TestSample | undefined;
  readonly policy: DeadlinePolicy;
  /** The --out directory; no files without it. */
  readonly out?: string;
  /** The aggregator's plan as it is now, for the checkpoint. */
  readonly plan: () => CheckpointPlan;
  /** A checkpoint an earlier aggregator left in `out` is removed (a new aggregator's first run). */
  readonly discardOlderCheckpoint: boolean;
  readonly emit: (event: AggregatorEvent) => void;
  readonly note: Note;
  /** Log a line per round (formatting costs CPU next to the nodes: only when somebody listens). */
  readonly describeRounds: boolean;
}

/**
 * One networked run: each participant gets its Setup and is awaited Ready, then the round engine
 * drives one WebSocketLink per participant, with round deadlines from the engine's latest costs,
 * the global model evaluated (and its verdicts on the test sample) every round, rounds.jsonl and
 * a checkpoint after every round; at the end summary.json and weights.json. The nodes' Stop says
 * what the engine says ended the run.
 */
export class NetworkedRun implements LobbyRun {
  readonly runId: RunId;
  private readonly setups: ReadonlyMap<NodeId, SetupMessage>;
  /** D_i of each participant that said Ready (a resumed run's from its checkpoint). */
  private readonly dataSizes: Map<NodeId, number>;
  private readonly abort = new AbortController();
  private cancelledBy: CancelCause = "operator";
  private readonly files: RunFiles | undefined;
  private readonly config: RunConfig;
  private readonly engine: RoundEngine;
  private readonly startedAt: Date;
  /** performance.now() at the start; a resumed run's wall time goes on from the checkpoint's. */
  private readonly t0: number;
  private verdicts: string[] | null = null;

  constructor(
    private readonly assignment: RunAssignment,
    private readonly parts: RunResources,
  ) {
    const { runId, setup, participants, resumed } = assignment;
    const { model, out } = parts;
    const saved = resumed?.checkpoint.run;
    this.runId = runId;
    const n = participants.length;
    this.setups = new Map(
      participants.map((name, i) => [
        name,
        setupMessageOf(setup, { runId, modelSize: model.size }, i, n),
      ]),
    );
    this.dataSizes = new Map(Object.entries(saved?.dataSizes ?? {}));
    this.startedAt = saved === undefined ? new Date() : new Date(saved.startedAt);
    this.t0 = performance.now() - (saved?.wallSeconds ?? 0) * 1000;
    this.files =
      out === undefined
        ? undefined
        : new RunFiles(
            runFilePaths(out, assignment.k, assignment.runs === 1),
            resumed?.checkpoint.log,
          );
    this.config = runConfigOf(setup, model.size, model.initialWeights(setup.seed));
    // One context for every link: each round's RoundStart is encoded once for all of them.
    const context: LinkContext = {
      runId,
      session: (id) => parts.lobby.session(id),
      deadlineMs: (id, tau) => this.deadlineMs(id, tau),
      roundStart: sharedRoundStarts(runId),
      stopNotice: (stop) => stopNoticeOf(stop, this.cancelledBy),
    };
    this.engine = new RoundEngine(this.config, {
      links: participants.map((name) => new WebSocketLink(name, context)),
      costs: measuredCosts(),
      evaluate: (w) => {
        this.verdicts = parts.sample?.verdicts(model.model, w) ?? null;
        return model.evaluate(w);
      },
      signal: this.abort.signal,
      onRound: (event) => this.afterRound(event),
      ...(resumed === undefined
        ? {}
        : { resume: { snapshot: resumed.checkpoint.engine, events: resumed.events } }),
      ...this.checkpointing(),
    });
  }

  /** Ends the run (its nodes get Stop `cause`); during the Ready wait, the run makes no round. */
  cancel(cause: CancelCause): void {
    if (!this.abort.signal.aborted) this.cancelledBy = cause;
    this.abort.abort();
  }

  setupOf(name: NodeId): SetupMessage | undefined {
    return this.setups.get(name);
  }

  ready(name: NodeId, dataSize: number): void {
    this.dataSizes.set(name, dataSize);
  }

  /** Sets the nodes up, runs the rounds, writes the summary; resolves with it. */
  async run(): Promise<RunSummary> {
    const { lobby } = this.parts;
    this.announce();
    lobby.enter(this);
    try {
      await this.awaitReady();
      this.files?.writeController(controllerConfigOf(this.config));
      const result = await this.engine.run();
      return this.finish(result);
    } finally {
      lobby.leave(this);
    }
  }

  private announce(): void {
    const { k, runs, runId, setup, participants } = this.assignment;
    const tau = setup.tau === "adaptive" ? "adaptive tau" : `tau ${setup.tau}`;
    this.parts.note(
      "info",
      `run "${runId}" (${k}${runs === 0 ? "" : `/${runs}`}): ${setup.model.kind} on ${setup.dataset} ${setup.task}, case ${setup.case}, ${tau}, ${participants.length} nodes: ${participants.join(", ")}`,
    );
    this.parts.emit({
      type: "run-start",
      runId,
      run: k,
      setup,
      budgetSeconds: budgetOf(setup)?.time,
      nodes: participants,
      sample: this.parts.sample?.items ?? [],
      at: this.startedAt.getTime(),
    });
  }

  /** Sends every connected participant its Setup; waits until each is ready, failed or gone. */
  private async awaitReady(): Promise<void> {
    const { lobby, policy } = this.parts;
    const { participants } = this.assignment;
    const runId = this.runId;
    for (const name of participants) lobby.session(name)?.startRun(this.setups.get(name)!);
    await lobby.changes.until(
      () =>
        participants.every((p) => {
          const s = lobby.session(p);
          return s === undefined || s.settledFor(runId);
        }),
      policy.capMs,
      this.abort.signal,
    );
    const missing = participants.filter((p) => !lobby.session(p)?.readyFor(runId));
    if (missing.length > 0) {
      this.parts.note(
        "warn",
        `not ready: ${missing.join(", ")}; the run goes on without them until they are`,
      );
    }
  }

  /** A node's round deadline, from the engine's latest c and b and the node's added delay. */
  private deadlineMs(id: NodeId, tau: Tau): number {
    const time = this.engine.costs().time;
    return roundDeadlineMs(
      {
        tau,
        c: time?.c ?? null,
        b: time?.b ?? null,
        addedDelayMs: this.parts.lobby.delayOf(id),
      },
      this.parts.policy,
    );
  }

  /** With --out, a checkpoint after every round (rounds.jsonl synced first). */
  private checkpointing(): Pick<RoundEngineOptions, "onSnapshot"> {
    const { out } = this.parts;
    if (this.files === undefined || out === undefined) return {};
    const { k, runId, setup, participants } = this.assignment;
    const checkpoint = new RunCheckpoint(out, this.files, {
      run: k,
      runId,
      setup,
      participants,
      startedAt: this.startedAt,
    });
    if (this.parts.discardOlderCheckpoint) checkpoint.discardOlder();
    return {
      onSnapshot: (snapshot) =>
        checkpoint.save(snapshot, {
          plan: this.parts.plan(),
          wallSeconds: this.wallSeconds(),
          dataSizes: this.dataSizes,
        }),
    };
  }

  private afterRound(event: RoundEvent): void {
    const { note, lobby } = this.parts;
    const { k, participants } = this.assignment;
    this.files?.appendRound(event);
    for (const f of event.failed) {
      note("warn", `left out of round ${event.round}: [${f.code}] ${f.message}`, f.id);
    }
    if (event.fault !== null) note("warn", event.fault.message);
    if (this.parts.describeRounds) {
      note("info", describeRound(event, participants.length));
      const why = tauChangeLine(event);
      if (why !== null) note("info", why);
    }
    lobby.reported(event.reported);
    this.parts.emit({ type: "round", runId: this.runId, run: k, event, verdicts: this.verdicts });
    this.verdicts = null;
  }

  private finish(result: RunResult): RunSummary {
    const { model, note, emit } = this.parts;
    const { k, setup, participants } = this.assignment;
    const runId = this.runId;
    const summary = runSummary({
      runId,
      run: k,
      setup,
      result,
      nodes: participants.map((id) => ({ id, dataSize: this.dataSizes.get(id) ?? 0 })),
      test: model.evaluate(result.finalWeights),
      trainLoss: model.trainLoss(result.finalWeights),
      startedAt: this.startedAt,
      wallSeconds: this.wallSeconds(),
    });
    this.files?.writeResult(summary, runId, result.finalWeights);
    const acc =
      summary.testAccuracy === null ? "" : `, test accuracy ${summary.testAccuracy.toFixed(4)}`;
    note(
      result.status === "completed" ? "info" : "warn",
      `run "${runId}" ${result.status}${result.error ? `: ${result.error.message}` : ""}: ${result.rounds} rounds, ${result.iterations} iterations, mean tau ${summary.meanTau.toFixed(2)}, loss ${summary.finalLoss?.toPrecision(5) ?? "n/a"}${acc}`,
    );
    const { reason } = stopNoticeOf(result.stop, this.cancelledBy);
    emit({ type: "run-end", runId, run: k, reason, summary, result, at: Date.now() });
    return summary;
  }

  private wallSeconds(): number {
    return (performance.now() - this.t0) / 1000;
  }
}
