import type { AggregatorEvent, Note } from "./aggregator-events.js";
import type { CheckpointPlan } from "./checkpoint.js";
import type { ResumePoint } from "./checkpoint-resume.js";
import type { LearningSetup, RunVariant } from "./learning-setup.js";
import type { ModelCache } from "./model-cache.js";
import { NetworkedRun } from "./networked-run.js";
import type { NodeLobby } from "./node-lobby.js";
import { DEFAULT_RESUME_WAIT_MS, waitForParticipants } from "./resume-wait.js";
import type { DeadlinePolicy } from "./round-deadline.js";
import type { RunSummary } from "./run-summary.js";

/** With --min-nodes, a run starts once no node has registered for this long. */
export const JOIN_QUIET_MS = 1000;

export interface ScheduleOptions {
  /** A run starts when this many nodes have registered. */
  readonly nodes: number;
  /** Or with at least this many, once none has registered for JOIN_QUIET_MS. */
  readonly minNodes?: number;
  /** Runs to make; 0 = until closed. */
  readonly runs: number;
  readonly setup: LearningSetup;
  /** Run k takes variants[(k - 1) % length] over the setup's case and tau. */
  readonly variants?: readonly RunVariant[];
  /** Go on with the run of a checkpoint (see AggregatorOptions.resumeFrom). */
  readonly resumeFrom?: ResumePoint;
  /** How long a resumed run waits for all its nodes to reconnect (default 30 s). */
  readonly resumeWaitMs?: number;
  /** Directory of the run files; none written when undefined. */
  readonly out?: string;
}

/** What the schedule works with, given by the aggregator. */
export interface ScheduleParts {
  readonly lobby: NodeLobby;
  readonly models: ModelCache;
  readonly policy: DeadlinePolicy;
  readonly emit: (event: AggregatorEvent) => void;
  readonly note: Note;
  /** Log a line per round (see RunResources.describeRounds). */
  readonly describeRounds: boolean;
}

/**
 * The aggregator's runs, one after another: each waits for enough nodes (--nodes, or --min-nodes
 * after a quiet second; a resumed run for its own nodes), takes its setup (the current one, or
 * its variant) and is made by a NetworkedRun. The operator may change the setup for the next run,
 * restart the run under way, pause and resume the runs.
 */
export class RunSchedule {
  /** Every run's summary once the runs are done (or the schedule closed); see begin(). */
  readonly finished: Promise<RunSummary[]>;
  private readonly idPrefix: string;
  private setup: LearningSetup;
  private variants: readonly RunVariant[];
  private paused = false;
  /** Fires when the schedule closes: no run after the one under way. */
  private readonly closing = new AbortController();
  private current: NetworkedRun | undefined;
  private startLoop: (() => void) | undefined;

  constructor(
    private readonly options: ScheduleOptions,
    private readonly parts: ScheduleParts,
  ) {
    this.idPrefix = options.resumeFrom?.checkpoint.plan.idPrefix ?? `r${Date.now().toString(36)}`;
    this.setup = options.setup;
    this.variants = options.variants ?? [];
    // The runs begin when begin() says so: after whoever built the aggregator has said where it
    // listens, so that the first run's lines come after that.
    this.finished = new Promise<void>((resolve) => {
      this.startLoop = resolve;
    }).then(() => this.loop());
  }

  /** Starts the runs (once). */
  begin(): void {
    this.startLoop?.();
    this.startLoop = undefined;
  }

  /** The setup the next run takes (the variant cycle aside). */
  get learningSetup(): LearningSetup {
    return this.setup;
  }

  /** Changes the setup from the next run on; a new case or tau ends the variant cycle. */
  updateSetup(patch: Partial<LearningSetup>): void {
    this.setup = { ...this.setup, ...patch };
    if (patch.case !== undefined || patch.tau !== undefined) this.variants = [];
  }

  /** Ends the run under way (Stop "operator"); the next one starts at once. */
  restart(): void {
    this.current?.cancel("operator");
  }

  /** Ends the run under way and starts none until resume(). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.parts.note("info", "paused by the operator: no run until resumed");
    this.parts.emit({ type: "paused", paused: true });
    this.current?.cancel("operator");
    this.parts.lobby.changes.notify();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.parts.note("info", "resumed by the operator");
    this.parts.emit({ type: "paused", paused: false });
    this.parts.lobby.changes.notify();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Ends the run under way (Stop "shutdown") and makes no other. */
  close(): void {
    this.closing.abort();
    this.current?.cancel("shutdown");
    this.parts.lobby.changes.notify();
    this.begin();
  }

  private async loop(): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    const { runs } = this.options;
    for (let k = this.firstRun(); runs === 0 || k <= runs; k++) {
      if (!(await this.waitForRun(k))) break;
      summaries.push(await this.runOnce(k));
      if (this.closing.signal.aborted) break;
    }
    return summaries;
  }

  private async runOnce(k: number): Promise<RunSummary> {
    const { lobby, models } = this.parts;
    const resumed = this.resumedRun(k);
    const saved = resumed?.checkpoint.run;
    const setup = saved?.setup ?? this.setupOfRun(k);
    const run = new NetworkedRun(
      {
        k,
        runs: this.options.runs,
        runId: saved?.runId ?? `${this.idPrefix}-${k}`,
        setup,
        participants: saved ? [...saved.participants] : lobby.connected(),
        ...(resumed === undefined ? {} : { resumed }),
      },
      {
        lobby,
        model: await models.modelOf(setup),
        sample: models.sampleOf(setup),
        policy: this.parts.policy,
        ...(this.options.out === undefined ? {} : { out: this.options.out }),
        plan: () => this.plan(),
        discardOlderCheckpoint: this.options.resumeFrom === undefined && k === 1,
        emit: this.parts.emit,
        note: this.parts.note,
        describeRounds: this.parts.describeRounds,
      },
    );
    this.current = run;
    if (this.closing.signal.aborted) run.cancel("shutdown");
    else if (this.paused) run.cancel("operator");
    try {
      return await run.run();
    } finally {
      this.current = undefined;
    }
  }

  /** How the aggregator was started, for the checkpoint: a resume must run the same runs. */
  private plan(): CheckpointPlan {
    const { nodes, minNodes, runs } = this.options;
    return {
      nodes,
      minNodes: minNodes ?? null,
      runs,
      setup: this.setup,
      variants: this.variants,
      idPrefix: this.idPrefix,
    };
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
    this.parts.note(
      "info",
      `resuming run "${run.runId}" after round ${engine.round} from ${point.path}${cut}`,
    );
    if (engine.controller.plan === null) return !this.closing.signal.aborted;
    const { lobby, note } = this.parts;
    return waitForParticipants(run.participants, {
      connected: () => lobby.connected(),
      changes: lobby.changes,
      signal: this.closing.signal,
      waitMs: this.options.resumeWaitMs ?? DEFAULT_RESUME_WAIT_MS,
      note,
    });
  }

  /** True once enough nodes are registered; false when the schedule is closed meanwhile. */
  private async waitForNodes(): Promise<boolean> {
    const { nodes, minNodes } = this.options;
    const { lobby } = this.parts;
    let said = false;
    for (;;) {
      if (this.closing.signal.aborted) return false;
      if (this.paused) {
        await lobby.changes.wait(60_000);
        continue;
      }
      const n = lobby.connected().length;
      if (n >= nodes) return true;
      const quiet = performance.now() - lobby.lastRegistrationAt;
      if (minNodes !== undefined && n >= minNodes && quiet >= JOIN_QUIET_MS) return true;
      if (!said) {
        const least = minNodes === undefined ? "" : ` (or at least ${minNodes})`;
        this.parts.note(
          "info",
          `waiting for ${nodes} node${nodes === 1 ? "" : "s"}${least}, ${n} connected`,
        );
        said = true;
      }
      await lobby.changes.wait(
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
}
