import { type Clock, performanceClock } from "../clock.js";
import type { ResourceCosts, ResourceTable } from "../control/budget-ledger.js";
import { Controller, type RoundDecision } from "../control/controller.js";
import type { RoundPlan } from "../control/round-plan.js";
import type { Evaluation } from "../models/model.js";
import type { Round } from "../units.js";
import type { CostSource } from "./cost-source.js";
import { type EngineResume, type EngineSnapshot, snapshotProblems } from "./engine-snapshot.js";
import { EventWindow } from "./event-window.js";
import type { NodeLink } from "./link.js";
import { ask, type RoundAnswers, RoundIntake } from "./round-answers.js";
import type { RoundEvent, RoundFault } from "./round-event.js";
import {
  type ResolvedRunConfig,
  type RunConfig,
  resolveRunConfig,
  runConfigProblems,
} from "./run-config.js";
import type { RunResult } from "./run-result.js";
import { completedStop, type EngineError, type RunStop, statusOf } from "./run-stop.js";
import { ABORTED, untilAborted } from "./until-aborted.js";
import { allFinite, WeightedSum } from "./weighted-average.js";

export interface RoundEngineOptions {
  /** The nodes, each behind its link (in-process, WebSocket...). */
  readonly links: readonly NodeLink[];
  /** Where each round's costs come from: measured or simulated. */
  readonly costs: CostSource;
  /** Times the rounds (default performance.now). */
  readonly clock?: Clock;
  /** The global model on the test set; may be async (e.g. in a worker). */
  readonly evaluate?: (weights: Float64Array) => Evaluation | Promise<Evaluation>;
  /** Called once per round with its event, awaited before the next round starts. */
  readonly onRound?: (event: RoundEvent) => void | Promise<void>;
  /** Aborting stops the run at once, even mid-round: the run ends "cancelled". */
  readonly signal?: AbortSignal;
  /**
   * How many of the latest round events RunResult.events keeps (default DEFAULT_KEPT_EVENTS;
   * Infinity: all). Every event goes to onRound; the result's counts cover every round.
   */
  readonly keepEvents?: number;
  /** Go on from a snapshot (a checkpoint) instead of starting at round 1. */
  readonly resume?: EngineResume;
  /**
   * Called after onRound with what a later run needs to resume after this round (see
   * `resume`), awaited before the next round starts; a throw fails the run ("checkpoint-failed").
   */
  readonly onSnapshot?: (snapshot: EngineSnapshot) => void | Promise<void>;
}

/** setup: not started; running: rounds under way; stopped: the result is out. */
export type EnginePhase = "setup" | "running" | "stopped";

/** A step of a round that cannot go on: the run fails with this error. */
class StepFailure extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

/** What a round's aggregation left: the next global weights, and what went wrong with it. */
interface Aggregate {
  readonly next: Float64Array;
  /** The aggregate (or every report) was not finite: the previous weights were kept. */
  readonly fallback: boolean;
  readonly fault: RoundFault | null;
}

/** A run under way: the controller and the running totals, from round 1 or from a snapshot. */
class EngineRun {
  readonly controller: Controller;
  readonly events: EventWindow;
  /** The running weighted sum of each round's weights (streaming aggregation), reused. */
  readonly sum: WeightedSum;
  weights: Float64Array;
  /** The latest round run (0 before round 1). */
  round: Round;
  iterations: number;
  tauSquares: number;
  emptyRounds: number;

  constructor(
    readonly cfg: ResolvedRunConfig,
    options: RoundEngineOptions,
  ) {
    const from = options.resume?.snapshot;
    this.controller =
      from === undefined ? Controller.create(cfg) : Controller.restore(cfg, from.controller);
    this.events = new EventWindow(options.keepEvents, options.resume?.events);
    this.sum = new WeightedSum(cfg.modelSize);
    this.weights = (from?.weights ?? cfg.initialWeights).slice();
    this.round = from?.round ?? 0;
    this.iterations = from?.iterations ?? 0;
    this.tauSquares = from?.tauSquares ?? 0;
    this.emptyRounds = from?.emptyRounds ?? 0;
  }

  /** The weights the run returns: the best ones under the min-loss rule, else the latest. */
  finalWeights(): Float64Array {
    return (this.cfg.useMinLoss ? this.controller.bestWeights() : null) ?? this.weights.slice();
  }

  snapshot(): EngineSnapshot {
    return {
      version: 1,
      round: this.round,
      weights: this.weights.slice(),
      controller: this.controller.snapshot(),
      iterations: this.iterations,
      tauSquares: this.tauSquares,
      emptyRounds: this.emptyRounds,
    };
  }
}

/**
 * One run of federated learning as a state machine (setup, rounds, stop), talking to nodes only
 * through NodeLinks: the simulator and the networked aggregator both drive this engine. Each
 * round is a sequence of named steps: ask the nodes, aggregate their weights, book the costs
 * (the controller chooses the next round), evaluate, emit the round's event, snapshot. A step
 * fails in one way (a StepFailure), which ends the run "failed" with its error. Node faults never
 * end a run; they are listed in the round's event.
 */
export class RoundEngine {
  private readonly config: RunConfig;
  private readonly options: RoundEngineOptions;
  private state: EnginePhase = "setup";
  private progress: EngineRun | undefined;

  constructor(config: RunConfig, options: RoundEngineOptions) {
    this.config = config;
    this.options = options;
  }

  get phase(): EnginePhase {
    return this.state;
  }

  /**
   * The latest c and b per resource, as the controller books them (a resumed run's from its
   * snapshot); empty before the run starts.
   */
  costs(): ResourceTable<ResourceCosts> {
    return this.progress?.controller.costs() ?? {};
  }

  /** Runs the whole run; never rejects for a node's or the config's fault: see RunResult.stop. */
  async run(): Promise<RunResult> {
    if (this.state !== "setup") throw new Error("Cannot run a round engine twice");
    this.state = "running";
    try {
      return await this.execute();
    } finally {
      this.state = "stopped";
    }
  }

  private async execute(): Promise<RunResult> {
    const { links, resume, signal } = this.options;
    const problems = [...runConfigProblems(this.config), ...linkProblems(links)];
    if (resume !== undefined) problems.push(...snapshotProblems(resume, this.config.modelSize));
    if (problems.length > 0) {
      const initial =
        this.config.initialWeights instanceof Float64Array
          ? this.config.initialWeights.slice()
          : new Float64Array(0);
      return emptyResult(initial, {
        code: "invalid-config",
        message: `Invalid run config: ${problems.join("; ")}`,
      });
    }
    const run = new EngineRun(resolveRunConfig(this.config), this.options);
    this.progress = run;
    try {
      for (;;) {
        const plan = run.controller.plan;
        if (plan === null) return await this.finish(run, completedStop(run.round, run.cfg));
        if (signal?.aborted) return await this.finish(run, { reason: "cancelled" });
        const answers = await this.ask(run, plan);
        if (answers === ABORTED) return await this.finish(run, { reason: "cancelled" });
        const aggregate = this.aggregate(run, plan, answers.sorted);
        const decision = this.book(run, plan, answers, aggregate);
        const test = await this.evaluate(run, plan);
        const event = eventOf(plan, answers, aggregate, decision, test, run);
        run.events.push(event);
        await this.emit(plan, event);
        await this.snapshot(run, plan);
        checkEmptyRounds(run, plan, decision);
      }
    } catch (e) {
      // A step's failure, or a bug (not a node's fault): still a result, with what was done.
      const error: EngineError =
        e instanceof StepFailure ? e.error : { code: "engine-failed", message: messageOf(e) };
      return await this.finish(run, { reason: "failed", error });
    }
  }

  /**
   * Ask: the round's orders out, every answer in. Each answer is validated as it comes (a bad
   * report leaves its node out of the round, never ends the run) and its weights go into the
   * running sum (not in the evaluation-only round: only its losses matter); the result is in
   * link order.
   */
  private async ask(
    run: EngineRun,
    plan: RoundPlan,
  ): Promise<{ sorted: RoundAnswers; wallSeconds: number } | typeof ABORTED> {
    const { links, signal } = this.options;
    const clock = this.options.clock ?? performanceClock;
    const order = {
      round: plan.round,
      tau: plan.tau,
      lastRound: plan.lastRound,
      prevGlobalWasBest: run.controller.prevGlobalWasBest,
    };
    run.sum.reset();
    const intake = new RoundIntake(
      links.map((l) => l.id),
      { round: plan.round, tau: plan.tau, modelSize: run.cfg.modelSize },
      plan.kind === "evaluation" ? null : run.sum,
      true,
    );
    const t0 = clock.now();
    // A link may keep or change what it is given: each gets its own copy, except that the
    // links that only read (readsWeightsOnly) share one.
    const shared = links.some((l) => l.readsWeightsOnly === true) ? run.weights.slice() : null;
    const answered = await untilAborted(
      Promise.all(
        links.map((l, i) => {
          const w = l.readsWeightsOnly === true && shared !== null ? shared : run.weights.slice();
          return ask(l, { ...order, weights: w }).then((a) => intake.take(i, a));
        }),
      ),
      signal,
    );
    if (answered === ABORTED) return ABORTED;
    return { sorted: intake.result(), wallSeconds: clock.now() - t0 };
  }

  /** Aggregate: the average of the reports' weights (not in the evaluation-only round). */
  private aggregate(run: EngineRun, plan: RoundPlan, sorted: RoundAnswers): Aggregate {
    const reports = sorted.reported.length;
    if (reports > 0 && plan.kind !== "evaluation") {
      const avg = run.sum.average();
      return allFinite(avg)
        ? { next: avg, fallback: false, fault: null }
        : { next: run.weights, fallback: true, fault: null };
    }
    if (reports > 0) return { next: run.weights, fallback: false, fault: null };
    // Every node diverged: the same as a NaN aggregate. Else nobody answered.
    if (sorted.diverged && plan.kind !== "evaluation") {
      return { next: run.weights, fallback: true, fault: null };
    }
    const none = sorted.diverged ? "no usable report" : "no node reported";
    return {
      next: run.weights,
      fallback: false,
      fault: {
        code: "no-reports",
        message: `Round ${plan.round}: ${none}; kept the global weights`,
      },
    };
  }

  /**
   * Book: the round's costs from the cost source, and the controller's decision (estimates,
   * min-loss, the next round); then the new global weights and the running totals.
   */
  private book(
    run: EngineRun,
    plan: RoundPlan,
    answers: { readonly sorted: RoundAnswers; readonly wallSeconds: number },
    aggregate: Aggregate,
  ): RoundDecision {
    const { sorted, wallSeconds } = answers;
    const reports = sorted.reported.map((v) => v.report);
    const cost = guard("cost-failed", plan.round, "the cost source failed", () =>
      this.options.costs.roundCost({
        round: plan.round,
        tau: plan.tau,
        reports,
        wallSeconds,
        bytes: sorted.bytes,
        inProcess: sorted.inProcess,
      }),
    );
    const after = run.controller.afterRound({
      startWeights: run.weights,
      reports,
      fallback: aggregate.fallback,
      cost,
      reporters: sorted.reported.map((v) => v.id),
      lost: sorted.failed
        .filter((f) => f.code === "timeout" || f.code === "disconnected")
        .map((f) => f.id),
    });
    if (!after.ok) throw new StepFailure({ code: "cost-failed", message: after.message });
    const d = after.decision;
    run.weights = aggregate.next;
    run.round = plan.round;
    run.iterations += d.tauDone;
    run.tauSquares += d.tauDone * d.tauDone;
    run.emptyRounds = reports.length > 0 ? 0 : run.emptyRounds + 1;
    return d;
  }

  /** Evaluate: the global model on the test set (in the evaluation-only round, the final one). */
  private async evaluate(run: EngineRun, plan: RoundPlan): Promise<Evaluation | null> {
    const evaluate = this.options.evaluate;
    if (evaluate === undefined) return null;
    const w = plan.kind === "evaluation" ? run.finalWeights() : run.weights.slice();
    return guard("evaluate-failed", plan.round, "evaluating the global model failed", () =>
      evaluate(w),
    );
  }

  /** Emit: the round's event to the listener. */
  private async emit(plan: RoundPlan, event: RoundEvent): Promise<void> {
    const onRound = this.options.onRound;
    if (onRound === undefined) return;
    await guard("listener-failed", plan.round, "the round listener failed", () => onRound(event));
  }

  /** Snapshot: what a later run needs to resume after this round. */
  private async snapshot(run: EngineRun, plan: RoundPlan): Promise<void> {
    const onSnapshot = this.options.onSnapshot;
    if (onSnapshot === undefined) return;
    await guard("checkpoint-failed", plan.round, "saving the checkpoint failed", () =>
      onSnapshot(run.snapshot()),
    );
  }

  /** Tells every link the run is over, and gives the result. */
  private async finish(run: EngineRun, stop: RunStop): Promise<RunResult> {
    const final = run.finalWeights();
    const { links } = this.options;
    // async: a stop that throws at once is settled like one that rejects.
    await Promise.allSettled(
      links.map(async (l) => l.stop?.({ stop, finalWeights: final.slice() })),
    );
    const { controller, events, iterations } = run;
    return {
      stop,
      status: statusOf(stop),
      error: stop.reason === "failed" ? stop.error : null,
      finalWeights: final,
      lastWeights: run.weights.slice(),
      rounds: events.count,
      iterations,
      meanTau: iterations > 0 ? run.tauSquares / iterations : 0,
      spent: controller.spent(),
      estimates: controller.estimates,
      bestLoss: controller.bestLoss,
      events: events.toArray(),
      nodeRounds: events.nodeRounds(),
      controller: controller.snapshot(),
    };
  }
}

/** Runs one federated-learning run to its end (or cancellation). */
export function runFederation(config: RunConfig, options: RoundEngineOptions): Promise<RunResult> {
  return new RoundEngine(config, options).run();
}

/**
 * Runs a step of round `round`; a throw (or a rejection, for a step that returns a promise)
 * fails the run with `code` and "Round N: what: why". The one way a step fails.
 */
function guard<T>(code: EngineError["code"], round: Round, what: string, step: () => T): T {
  const fail = (e: unknown): never => {
    throw new StepFailure({ code, message: `Round ${round}: ${what}: ${messageOf(e)}` });
  };
  try {
    const value = step();
    return (value instanceof Promise ? value.then(undefined, fail) : value) as T;
  } catch (e) {
    return fail(e);
  }
}

/** Fails the run once no usable report came in `maxEmptyRounds` rounds in a row. */
function checkEmptyRounds(run: EngineRun, plan: RoundPlan, d: RoundDecision): void {
  const empty = run.emptyRounds;
  if (empty < run.cfg.maxEmptyRounds || d.next === null) return;
  const first = plan.round - empty + 1;
  throw new StepFailure({
    code: "no-reports",
    message: `No usable report in ${empty} rounds in a row (rounds ${first}-${plan.round}): stopping the run`,
  });
}

/** The round's one event, from what its steps found. */
function eventOf(
  plan: RoundPlan,
  answers: { readonly sorted: RoundAnswers; readonly wallSeconds: number },
  aggregate: Aggregate,
  d: RoundDecision,
  test: Evaluation | null,
  run: EngineRun,
): RoundEvent {
  const { sorted, wallSeconds } = answers;
  const reports = sorted.reported;
  let doneSum = 0;
  for (const r of reports) doneSum += r.report.tauDone;
  const { controller } = run;
  return {
    round: plan.round,
    tau: plan.tau,
    kind: plan.kind,
    evaluationOnly: plan.kind === "evaluation",
    lastRound: plan.lastRound,
    tauDone: { max: d.tauDone, mean: reports.length > 0 ? doneSum / reports.length : 0 },
    lossAtStart: d.lossAtStart,
    bestLoss: d.bestLoss,
    testLoss: test?.loss ?? null,
    testAccuracy: test?.accuracy ?? null,
    beta: d.estimates.beta,
    rho: d.estimates.rho,
    delta: d.estimates.delta,
    costs: controller.costs(),
    spent: controller.spent(),
    budget: controller.budgets(),
    reported: reports.map((v) => v.id),
    failed: sorted.failed,
    fault: aggregate.fallback ? fallbackFault(plan, reports.length, d) : aggregate.fault,
    nextTau: d.next?.tau ?? null,
    tauReason: d.tauChoice?.reason ?? null,
    control: { input: d.input, output: d.output },
    wallSeconds,
  };
}

/** The fault of a round whose aggregate was not finite (it names the next round's tau). */
function fallbackFault(plan: RoundPlan, reports: number, d: RoundDecision): RoundFault {
  const why =
    reports > 0 ? "the aggregated weights are not finite" : "every report had non-finite numbers";
  const then = d.next === null ? "" : `; the next round runs tau = ${d.next.tau}`;
  return {
    code: "aggregate-not-finite",
    message: `Round ${plan.round}: ${why}; kept the previous global weights${then}`,
  };
}

function linkProblems(links: readonly NodeLink[]): string[] {
  if (links.length === 0) return ["a run needs at least one node link"];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of links) {
    if (seen.has(l.id)) out.push(`two node links have the id "${l.id}"`);
    seen.add(l.id);
  }
  return out;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function emptyResult(initial: Float64Array, error: EngineError): RunResult {
  const stop: RunStop = { reason: "failed", error };
  return {
    stop,
    status: statusOf(stop),
    error,
    finalWeights: initial,
    lastWeights: initial.slice(),
    rounds: 0,
    iterations: 0,
    meanTau: 0,
    spent: {},
    estimates: { beta: null, rho: null, delta: null },
    bestLoss: null,
    events: [],
    nodeRounds: {},
    controller: null,
  };
}
