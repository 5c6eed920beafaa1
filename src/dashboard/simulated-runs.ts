import { NodeBoard } from "../aggregator/aggregator-events.js";
import { type DelaySetting, DelayTable, type DelayTarget } from "../aggregator/delay-table.js";
import { GlobalModel } from "../aggregator/global-model.js";
import { assignmentOf, type LearningSetup, runConfigOf } from "../aggregator/learning-setup.js";
import { describeRound, tauChangeLine } from "../aggregator/round-note.js";
import { stopNoticeOf } from "../aggregator/stop-notice.js";
import { DEFAULT_WATCH_SAMPLE, TestSample } from "../aggregator/test-sample.js";
import { type Clock, performanceClock } from "../core/clock.js";
import { DEFAULT_CONTROL, nodeTrainingRules } from "../core/control/control-mode.js";
import type { DatasetSplit } from "../core/data/dataset.js";
import type { CostSource } from "../core/federation/cost-source.js";
import { measuredCosts } from "../core/federation/measured-costs.js";
import { runFederation } from "../core/federation/round-engine.js";
import type { RunResult } from "../core/federation/run-result.js";
import type { Kernels } from "../core/linalg/kernels.js";
import { getKernels } from "../core/linalg/select-kernels.js";
import type { NodeId } from "../core/units.js";
import { dataPreview } from "../node/data-preview.js";
import { NodeDataLoader } from "../node/node-data.js";
import { noteLogEntry } from "../protocol/index.js";
import { createSimulation } from "../sim/create-simulation.js";
import { DelayedLink, type Sleep, timerSleep } from "../sim/delayed-link.js";
import type { DashboardChange } from "./dashboard-source.js";
import { type ControlledRuns, settingsOfRuns } from "./run-controls.js";
import { testDigits } from "./sample-digits.js";
import { runSetupOf } from "./setup-view.js";

export interface SimulatedRunsOptions {
  /** What every run learns, until the controls change it. */
  readonly setup: LearningSetup;
  /** The setup's data set, loaded by the caller (each node takes its part by its assignment). */
  readonly data: DatasetSplit;
  /** Simulated nodes, named n1..nN (default 5). */
  readonly nodes?: number;
  /** Runs one after another (default 0: until closed). */
  readonly runs?: number;
  /** Added delay, as `--delay` (per node or every node). */
  readonly delays?: readonly DelaySetting[];
  /** Test samples with the global model's verdict every round (default 60). */
  readonly watchSample?: number;
  /** Each run's costs (default measured on `clock`, as the networked aggregator measures). */
  readonly costs?: () => CostSource;
  /** Times the rounds and the nodes' calls (default performance.now). */
  readonly clock?: Clock;
  /** How the added delay is waited (default setTimeout). */
  readonly sleep?: Sleep;
  /** Wall clock, ms since 1970: when runs start and end, log times. */
  readonly now?: () => number;
  readonly kernels?: Kernels;
}

/**
 * Runs of the in-process federation (src/sim), one after another, as the dashboard shows them:
 * the nodes take their part of the data by the same assignment as networked nodes, train with
 * the simulator's trainers and answer through in-process links (with added delay); the round
 * engine, the controller and the global model's test are the networked system's. Every round,
 * node and run is reported to `emit` as a dashboard change; the controls drive it as they drive
 * the aggregator (ControlledRuns).
 */
export class SimulatedRuns implements ControlledRuns {
  private setup: LearningSetup;
  private readonly data: DatasetSplit;
  private readonly nodeIds: readonly NodeId[];
  private readonly loaders: readonly NodeDataLoader[];
  private readonly delayTable: DelayTable;
  /** The nodes' own state, as the aggregator keeps its nodes'. */
  private readonly board: NodeBoard;
  private readonly models = new Map<string, GlobalModel>();
  private readonly samples = new Map<string, TestSample>();
  private readonly kernels: Kernels;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private paused = false;
  private closed = false;
  private runAbort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private shownDigitsOf: TestSample | undefined;

  constructor(
    private readonly options: SimulatedRunsOptions,
    private readonly emit: (change: DashboardChange) => void,
  ) {
    this.setup = options.setup;
    this.data = options.data;
    const nodes = options.nodes ?? 5;
    if (!(Number.isInteger(nodes) && nodes >= 1)) {
      throw new RangeError(`Cannot simulate ${nodes} nodes: expected a whole number, 1 or more`);
    }
    this.nodeIds = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
    this.loaders = this.nodeIds.map(() => new NodeDataLoader(async () => this.data));
    this.delayTable = new DelayTable(options.delays ?? []);
    this.board = new NodeBoard((event) => {
      if (event.type === "node") emit({ type: "node", node: event.node });
    });
    this.kernels = options.kernels ?? getKernels("auto");
    this.clock = options.clock ?? performanceClock;
    this.sleep = options.sleep ?? timerSleep;
    this.now = options.now ?? Date.now;
  }

  get learningSetup(): LearningSetup {
    return this.setup;
  }

  get runsPaused(): boolean {
    return this.paused;
  }

  /** Starts the runs (once); `done` settles when they are over. */
  start(): void {
    this.loop ??= this.runAll();
  }

  get done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  updateSetup(patch: Partial<LearningSetup>): void {
    this.setup = { ...this.setup, ...patch };
  }

  restartRun(): void {
    this.runAbort?.abort();
  }

  pauseRuns(): void {
    if (this.paused) return;
    this.paused = true;
    this.note("paused by the operator: no run until resumed");
    this.runAbort?.abort();
  }

  resumeRuns(): void {
    if (!this.paused) return;
    this.paused = false;
    this.note("resumed by the operator");
    this.wake?.();
  }

  setDelay(target: DelayTarget, ms: number): void {
    this.delayTable.set(target, ms);
    // Nodes not shown yet take their delay when they are.
    this.board.delays((id) => this.delayTable.of(id));
    this.note(`added delay for ${target === "all" ? "every node" : `"${target}"`}: ${ms} ms`);
  }

  delays(): ReturnType<DelayTable["snapshot"]> {
    return this.delayTable.snapshot();
  }

  nodeStatuses(): readonly { readonly id: NodeId }[] {
    return this.nodeIds.map((id) => ({ id }));
  }

  /** Ends the run under way and starts no other; resolves when the runs are over. */
  async close(): Promise<void> {
    this.closed = true;
    this.runAbort?.abort();
    this.wake?.();
    await this.loop;
    for (const model of this.models.values()) model.dispose();
    this.models.clear();
  }

  private async runAll(): Promise<void> {
    const runs = this.options.runs ?? 0;
    for (let k = 1; !this.closed && (runs === 0 || k <= runs); ) {
      if (this.paused) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      let failure: string | null;
      try {
        failure = await this.runOnce(`sim-${k}`);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      k++;
      // A run that failed (its data, its model, its config) would fail again: the runs pause
      // until started again, perhaps with another setup.
      if (failure !== null) this.pauseAfter(failure);
      // Between runs, whatever else shares the process gets its turn.
      await this.sleep(0);
    }
  }

  private pauseAfter(failure: string): void {
    this.paused = true;
    this.note(`the runs pause: ${failure}`, "warn");
    this.emit({ type: "settings", settings: settingsOfRuns(this) });
  }

  /** One run, reported from start to end; resolves with why it failed, or null. */
  private async runOnce(runId: string): Promise<string | null> {
    const setup = this.setup;
    const n = this.nodeIds.length;
    const model = this.modelOf(setup);
    const sample = this.sampleOf(setup);
    const parts = await Promise.all(
      this.loaders.map((loader, i) => loader.forAssignment(assignmentOf(setup, i, n))),
    );
    const rules = nodeTrainingRules(setup.control ?? DEFAULT_CONTROL, setup.tau === "adaptive");
    const sim = createSimulation({
      model: model.model,
      nodeData: parts.map(({ data }) => data.batch),
      eta: setup.eta,
      seed: setup.seed,
      clock: this.clock,
      firstRoundEstimates: rules.firstRoundEstimates,
      gradientNoise: rules.gradientNoise,
      ...(setup.sgd !== undefined && {
        sgd: { batchSize: setup.sgd, carryOver: rules.carryOver },
      }),
    });
    if (this.shownDigitsOf !== sample) {
      this.shownDigitsOf = sample;
      this.emit({ type: "test-digits", digits: testDigits(sample.items) });
    }
    this.emit({
      type: "run-start",
      run: { id: runId, setup: runSetupOf(setup, n), startedAt: this.now() },
    });
    const what = `${setup.model.kind} on ${setup.dataset} ${setup.task}, case ${setup.case}`;
    const tau = setup.tau === "adaptive" ? "adaptive tau" : `tau ${setup.tau}`;
    this.note(`run "${runId}": ${what}, ${tau}, ${n} simulated nodes`);
    const shown = new Set(this.board.list().map((node) => node.id));
    parts.forEach(({ data }, i) => {
      const id = this.nodeIds[i];
      if (!shown.has(id)) this.board.online(id, this.delayTable.of(id));
      this.board.ready(id, {
        dataSize: data.batch.rows,
        labelHistogram: data.labelHistogram,
        preview: dataPreview(data),
      });
    });

    const abort = new AbortController();
    this.runAbort = abort;
    if (this.paused || this.closed) abort.abort();
    let verdicts: string[] | null = null;
    let result: RunResult;
    try {
      result = await runFederation(
        runConfigOf(setup, model.size, model.initialWeights(setup.seed)),
        {
          links: sim.links.map(
            (l) => new DelayedLink(l, () => this.delayTable.of(l.id), this.sleep),
          ),
          costs: this.options.costs?.() ?? measuredCosts(),
          clock: this.clock,
          signal: abort.signal,
          evaluate: (w) => {
            verdicts = sample.verdicts(model.model, w);
            return model.evaluate(w);
          },
          onRound: (event) => {
            this.emit({ type: "round", runId, event });
            if (verdicts !== null && verdicts.length > 0) {
              const accuracy = event.testAccuracy;
              this.emit({ type: "predictions", round: event.round, verdicts, accuracy });
            }
            verdicts = null;
            for (const node of event.control.input.nodes) {
              this.board.localSeconds(node.id, node.localSeconds);
            }
            this.note(describeRound(event, n));
            const why = tauChangeLine(event);
            if (why !== null) this.note(why);
          },
        },
      );
    } finally {
      if (this.runAbort === abort) this.runAbort = undefined;
      sim.dispose();
    }
    // The engine says why the run stopped; only who cancelled it is known here.
    const { reason } = stopNoticeOf(result.stop, this.closed ? "shutdown" : "operator");
    this.note(`run "${runId}" ${result.status}: ${reason}, ${result.rounds} rounds`);
    this.emit({ type: "run-end", runId, at: this.now(), reason });
    return result.status === "failed" ? (result.error?.message ?? "the run failed") : null;
  }

  /** The global model of a setup's model and task, made once. */
  private modelOf(setup: LearningSetup): GlobalModel {
    const key = JSON.stringify([setup.model, setup.task]);
    let model = this.models.get(key);
    if (model === undefined) {
      model = new GlobalModel(setup.model, this.data, setup.task, this.kernels);
      this.models.set(key, model);
    }
    return model;
  }

  private sampleOf(setup: LearningSetup): TestSample {
    let sample = this.samples.get(setup.task);
    if (sample === undefined) {
      const count = this.options.watchSample ?? DEFAULT_WATCH_SAMPLE;
      sample = new TestSample(this.data.test, setup.task, count);
      this.samples.set(setup.task, sample);
    }
    return sample;
  }

  /** A line in the protocol log. */
  note(text: string, level: "info" | "warn" = "info"): void {
    this.emit({ type: "log", entry: noteLogEntry(this.now(), level, text) });
  }
}
