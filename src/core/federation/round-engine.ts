import { type Clock, performanceClock } from "../clock.js";
import { Controller } from "../control/controller.js";
import type { RoundCost } from "../control/round-cost.js";
import type { Evaluation } from "../models/model.js";
import type { CostSource } from "./cost-source.js";
import { type EngineResume, type EngineSnapshot, snapshotProblems } from "./engine-snapshot.js";
import { EventWindow } from "./event-window.js";
import type { NodeLink } from "./link.js";
import { ask, RoundIntake } from "./round-answers.js";
import type { RoundEvent, RoundFault } from "./round-event.js";
import { type RunConfig, resolveRunConfig, runConfigProblems } from "./run-config.js";
import type { EngineError, RunResult, RunStatus } from "./run-result.js";
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

const ABORTED = Symbol("aborted");

/**
 * One run of federated learning as a state machine (setup, rounds, stop), talking to nodes only
 * through NodeLinks: the simulator and the networked aggregator both drive this engine. Each
 * round: send the orders, collect the answers, validate them, average, book costs, let the
 * controller choose the next round, evaluate, emit one RoundEvent. Node faults never end a run;
 * they are listed in the round's event.
 */
export class RoundEngine {
  private readonly config: RunConfig;
  private readonly options: RoundEngineOptions;
  private state: EnginePhase = "setup";

  constructor(config: RunConfig, options: RoundEngineOptions) {
    this.config = config;
    this.options = options;
  }

  get phase(): EnginePhase {
    return this.state;
  }

  /** Runs the whole run; never rejects for a node's or the config's fault: see RunResult.status. */
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
    const { links, costs, evaluate, onRound, signal, resume, onSnapshot } = this.options;
    const clock = this.options.clock ?? performanceClock;

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
    const cfg = resolveRunConfig(this.config);
    const from = resume?.snapshot;
    const controller =
      from === undefined ? Controller.create(cfg) : Controller.restore(cfg, from.controller);
    const events = new EventWindow(this.options.keepEvents, resume?.events);
    // The running weighted sum of each round's weights (streaming aggregation), reused.
    const sum = new WeightedSum(cfg.modelSize);
    let weights: Float64Array = (from?.weights ?? cfg.initialWeights).slice();
    let iterations = from?.iterations ?? 0;
    let tauSquares = from?.tauSquares ?? 0;
    let emptyRounds = from?.emptyRounds ?? 0;

    const finalWeights = (): Float64Array =>
      (cfg.useMinLoss ? controller.bestWeights() : null) ?? weights.slice();

    const finish = async (
      status: RunStatus,
      error: EngineError | null = null,
    ): Promise<RunResult> => {
      const final = finalWeights();
      // async: a stop that throws at once is settled like one that rejects.
      await Promise.allSettled(
        links.map(async (l) => l.stop?.({ reason: status, finalWeights: final.slice() })),
      );
      return {
        status,
        error,
        finalWeights: final,
        lastWeights: weights.slice(),
        rounds: events.count,
        iterations,
        meanTau: iterations > 0 ? tauSquares / iterations : 0,
        spent: controller.spent(),
        estimates: controller.estimates,
        bestLoss: controller.bestLoss,
        events: events.toArray(),
        nodeRounds: events.nodeRounds(),
        controller: controller.snapshot(),
      };
    };

    try {
      for (;;) {
        const plan = controller.plan;
        if (plan === null) return await finish("completed");
        if (signal?.aborted) return await finish("cancelled");

        // --- The round on the nodes.
        const order = {
          round: plan.round,
          tau: plan.tau,
          lastRound: plan.lastRound,
          prevGlobalWasBest: controller.prevGlobalWasBest,
        };
        // Each answer is validated as it comes (a bad report leaves its node out of the round,
        // never ends the run) and its weights go into the running sum (not in the
        // evaluation-only round: only its losses matter); the result is in link order.
        sum.reset();
        const intake = new RoundIntake(
          links.map((l) => l.id),
          { round: plan.round, tau: plan.tau, modelSize: cfg.modelSize },
          plan.kind === "evaluation" ? null : sum,
          true,
        );
        const t0 = clock.now();
        // A link may keep or change what it is given: each gets its own copy, except that the
        // links that only read (readsWeightsOnly) share one.
        const shared = links.some((l) => l.readsWeightsOnly === true) ? weights.slice() : null;
        const answered = await untilAborted(
          Promise.all(
            links.map((l, i) => {
              const w = l.readsWeightsOnly === true && shared !== null ? shared : weights.slice();
              return ask(l, { ...order, weights: w }).then((a) => intake.take(i, a));
            }),
          ),
          signal,
        );
        if (answered === ABORTED) return await finish("cancelled");
        const wallSeconds = clock.now() - t0;
        const sorted = intake.result();
        const reports = sorted.reported.map((v) => v.report);

        // --- Aggregation (not in the evaluation-only round: only its losses matter).
        let next = weights;
        let fallback = false;
        let fault: RoundFault | null = null;
        if (reports.length > 0 && plan.kind !== "evaluation") {
          const avg = sum.average();
          if (allFinite(avg)) next = avg;
          else fallback = true;
        } else if (reports.length === 0) {
          // Every node diverged: the same as a NaN aggregate. Else nobody answered.
          fallback = sorted.diverged && plan.kind !== "evaluation";
          if (!fallback) {
            const none = sorted.diverged ? "no usable report" : "no node reported";
            fault = {
              code: "no-reports",
              message: `Round ${plan.round}: ${none}; kept the global weights`,
            };
          }
        }

        // --- Costs, estimates, min-loss, the next round.
        let cost: RoundCost;
        try {
          cost = costs.roundCost({
            round: plan.round,
            tau: plan.tau,
            reports,
            wallSeconds,
            bytes: sorted.bytes,
            inProcess: sorted.inProcess,
          });
        } catch (e) {
          return await finish("failed", {
            code: "cost-failed",
            message: `Round ${plan.round}: the cost source failed: ${messageOf(e)}`,
          });
        }
        const after = controller.afterRound({
          startWeights: weights,
          reports,
          fallback,
          cost,
          reporters: sorted.reported.map((v) => v.id),
          lost: sorted.failed
            .filter((f) => f.code === "timeout" || f.code === "disconnected")
            .map((f) => f.id),
        });
        if (!after.ok) {
          return await finish("failed", { code: "cost-failed", message: after.message });
        }
        const d = after.decision;
        if (fallback) {
          const why =
            reports.length > 0
              ? "the aggregated weights are not finite"
              : "every report had non-finite numbers";
          const then = d.next === null ? "" : `; the next round runs tau = ${d.next.tau}`;
          fault = {
            code: "aggregate-not-finite",
            message: `Round ${plan.round}: ${why}; kept the previous global weights${then}`,
          };
        }
        weights = next;
        iterations += d.tauDone;
        tauSquares += d.tauDone * d.tauDone;
        emptyRounds = reports.length > 0 ? 0 : emptyRounds + 1;

        // --- Test-set evaluation and the round's event.
        let test: Evaluation | null = null;
        if (evaluate !== undefined) {
          try {
            test = await evaluate(plan.kind === "evaluation" ? finalWeights() : weights.slice());
          } catch (e) {
            return await finish("failed", {
              code: "evaluate-failed",
              message: `Round ${plan.round}: evaluating the global model failed: ${messageOf(e)}`,
            });
          }
        }
        let doneSum = 0;
        for (const r of reports) doneSum += r.tauDone;
        const event: RoundEvent = {
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
          reported: sorted.reported.map((v) => v.id),
          failed: sorted.failed,
          fault,
          nextTau: d.next?.tau ?? null,
          tauReason: d.tauChoice?.reason ?? null,
          control: { input: d.input, output: d.output },
          wallSeconds,
        };
        events.push(event);
        if (onRound !== undefined) {
          try {
            await onRound(event);
          } catch (e) {
            return await finish("failed", {
              code: "listener-failed",
              message: `Round ${plan.round}: the round listener failed: ${messageOf(e)}`,
            });
          }
        }
        if (onSnapshot !== undefined) {
          try {
            await onSnapshot({
              version: 1,
              round: plan.round,
              weights: weights.slice(),
              controller: controller.snapshot(),
              iterations,
              tauSquares,
              emptyRounds,
            });
          } catch (e) {
            return await finish("failed", {
              code: "checkpoint-failed",
              message: `Round ${plan.round}: saving the checkpoint failed: ${messageOf(e)}`,
            });
          }
        }

        if (emptyRounds >= cfg.maxEmptyRounds && d.next !== null) {
          const first = plan.round - emptyRounds + 1;
          return await finish("failed", {
            code: "no-reports",
            message: `No usable report in ${emptyRounds} rounds in a row (rounds ${first}-${plan.round}): stopping the run`,
          });
        }
      }
    } catch (e) {
      // A bug, not a node's fault: still a result, with what was done so far.
      return await finish("failed", { code: "engine-failed", message: messageOf(e) });
    }
  }
}

/** Runs one federated-learning run to its end (or cancellation). */
export function runFederation(config: RunConfig, options: RoundEngineOptions): Promise<RunResult> {
  return new RoundEngine(config, options).run();
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

/** Resolves with the promise's value, or ABORTED as soon as the signal fires. */
function untilAborted<T>(
  p: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  if (signal === undefined) return p;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function emptyResult(initial: Float64Array, error: EngineError): RunResult {
  return {
    status: "failed",
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
