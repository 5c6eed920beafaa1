import { type Clock, performanceClock } from "../clock.js";
import type { Batch } from "../data/batch.js";
import type { Rng } from "../data/rng.js";
import type { Model, Objective } from "../models/model.js";
import type { Round } from "../units.js";
import { batchRows } from "./batch-rows.js";
import { MinibatchSampler, type SamplerState } from "./minibatch-sampler.js";
import { nodeEstimates } from "./node-estimates.js";
import type { RoundOrder, RoundReport } from "./round-report.js";

/** Stochastic gradient descent on minibatches instead of the full local data. */
export interface SgdOptions {
  /** Rows per minibatch. A size >= the node's rows means full-batch gradient descent. */
  readonly batchSize: number;
  /**
   * Keep the minibatch of a round's last update for the next round's first update, so both
   * gradients in beta_i come from the same samples (default true, as the authors' adaptive
   * runs). False draws a fresh minibatch for every update, as the authors' fixed-tau runs do.
   */
  readonly carryOver?: boolean;
  /**
   * With carry-over, a round of tau = 1 would reuse one minibatch forever: it is replaced once
   * it has served this many updates (default 3, the authors'
   * `num_iterations_with_same_minibatch_for_tau_equals_one`).
   */
  readonly stepsPerBatchAtTauOne?: number;
}

export interface LocalTrainerOptions {
  readonly model: Model;
  /** The node's local data: D_i = data.rows. */
  readonly data: Batch;
  /** Step size eta. */
  readonly eta: number;
  /** Absent: full-batch deterministic gradient descent. */
  readonly sgd?: SgdOptions;
  /** Draws the minibatches (unused by full-batch descent). */
  readonly rng: Rng;
  /** Times the local updates (default: performance.now). */
  readonly clock?: Clock;
  /**
   * Report beta_i and rho_i (default true). They cost one more loss-and-gradient each round, at
   * the final local weights, and only adaptive tau uses them: a node of a fixed-tau run passes
   * false. The weights and everything else in the reports are the same either way.
   */
  readonly estimates?: boolean;
  /**
   * In a round with no earlier end point (the node's first, or after it missed rounds), report
   * beta_i and rho_i from this round's own start and end points (the end gradient taken on the
   * round's first minibatch, so both gradients see the same samples), so that the aggregator can
   * search tau after one round (default false: the paper's rule, estimates from round 2 on).
   */
  readonly firstRoundEstimates?: boolean;
  /**
   * Under SGD, also take the gradient at w(t0) on a second minibatch, drawn from a stream of its
   * own (the training minibatches stay the same): gradAtGlobal is then the mean of the two and
   * gradNoise estimates its squared sampling error, |g1 - g2|^2 / 4, which the aggregator takes
   * out of delta (default false).
   */
  readonly gradientNoise?: boolean;
}

/** The sub-stream of a node's Rng that draws the second minibatch of gradientNoise. */
const NOISE_STREAM = 0x6e01;

/** A batch bound to the model, and how many local updates have used it. */
interface BoundBatch {
  readonly objective: Objective;
  steps: number;
  /** A minibatch's rows (undefined for the full data). */
  readonly rows?: Uint32Array;
}

/**
 * The minibatch streams as a round found them: a round asked again (an aggregator resumed from
 * a checkpoint before it) draws the same minibatches as the first time.
 */
interface StreamsAtStart {
  readonly round: Round;
  readonly sampler: SamplerState;
  readonly noise: SamplerState | undefined;
  /** The minibatch carried into the round's first update, if any. */
  readonly carried: { readonly rows: Uint32Array; readonly steps: number } | undefined;
}

/** Where the node ended a round (before aggregation), with the gradient and loss there. */
interface EndPoint {
  readonly round: Round;
  readonly w: Float64Array;
  readonly grad: Float64Array;
  readonly loss: number;
}

/** A round between beginRound and endRound: its order, weights so far and updates done. */
interface RunningRound {
  readonly order: RoundOrder;
  /** w(t0), kept for the next round's estimates. */
  readonly wGlobal: Float64Array;
  /** The local weights, updated in place. */
  readonly w: Float64Array;
  readonly grad: Float64Array;
  /** The gradient at w(t0) on the first update's batch, once that update ran. */
  gradAtGlobal: Float64Array | undefined;
  lossAtGlobal: number;
  done: number;
  localSeconds: number;
}

/** The global weights a round started from, and their loss (lossAtGlobal). */
interface StartPoint {
  readonly round: Round;
  readonly w: Float64Array;
  readonly loss: number;
}

/**
 * The node's side of a round (docs/algorithm.md sections 2 and 4): tau local updates from the
 * global weights, and everything the aggregator needs in the report, remembering across rounds
 * where the node ended (for beta_i, rho_i) and its copy of the best global weights (min-loss
 * rule).
 *
 * Round 1 begins a run: the trainer then forgets an earlier run's end point, start point and
 * best copy (its minibatch stream simply goes on).
 *
 * A round may be asked again (an aggregator resumed from the checkpoint before it): the trainer
 * keeps the end and start points of its last two rounds, so that the repeated round uses the
 * same previous-round points as the first time; with full-batch descent its report is then the
 * same, bit for bit, under SGD too: the minibatch streams go back to where that round found them
 * (and its carried minibatch with them).
 */
export class LocalTrainer {
  /** D_i, the number of local samples (the full data even under SGD). */
  readonly dataSize: number;
  private readonly model: Model;
  private readonly data: Batch;
  private readonly eta: number;
  private readonly clock: Clock;
  private readonly sampler: MinibatchSampler | undefined;
  private readonly carryOver: boolean;
  private readonly stepsPerBatchAtTauOne: number;
  private readonly estimates: boolean;
  private readonly firstRoundEstimates: boolean;
  /** Draws the second minibatch at w(t0) (gradientNoise under SGD), else undefined. */
  private readonly noiseSampler: MinibatchSampler | undefined;

  /** The batch of the latest update (full batch: the whole data, bound once). */
  private current: BoundBatch | undefined;
  /** The batch of this round's first update, kept until lossAtBest is computed on it. */
  private roundFirst: BoundBatch | undefined;
  /** The end and start points of the latest rounds run (at most two each), oldest first. */
  private ends: EndPoint[] = [];
  private starts: StartPoint[] = [];
  /** The best global weights so far, with their loss when it cannot change (full batch). */
  private best: { readonly w: Float64Array; readonly loss: number | undefined } | undefined;
  /** The minibatch streams at the start of the latest rounds run (at most two), oldest first. */
  private streams: StreamsAtStart[] = [];
  /** The round begun and not yet ended or abandoned. */
  private running: RunningRound | undefined;
  private disposed = false;

  constructor(options: LocalTrainerOptions) {
    const { model, data, eta, sgd, rng } = options;
    if (data.dim !== model.inputDim) {
      throw new RangeError(
        `Cannot create a local trainer: the data has ${data.dim} features per row, the ${model.kind} model expects ${model.inputDim}`,
      );
    }
    if (!(data.rows >= 1)) {
      throw new RangeError("Cannot create a local trainer: the node's data has no rows");
    }
    if (!(Number.isFinite(eta) && eta > 0)) {
      throw new RangeError(
        `Cannot create a local trainer: eta must be a finite number > 0, got ${eta}`,
      );
    }
    const stepsAtOne = sgd?.stepsPerBatchAtTauOne ?? 3;
    if (sgd !== undefined) {
      if (!(Number.isInteger(sgd.batchSize) && sgd.batchSize >= 1)) {
        throw new RangeError(
          `Cannot create a local trainer: SGD batch size must be an integer >= 1, got ${sgd.batchSize}`,
        );
      }
      if (!(Number.isInteger(stepsAtOne) && stepsAtOne >= 1)) {
        throw new RangeError(
          `Cannot create a local trainer: stepsPerBatchAtTauOne must be an integer >= 1, got ${stepsAtOne}`,
        );
      }
    }
    this.model = model;
    this.data = data;
    this.eta = eta;
    this.clock = options.clock ?? performanceClock;
    this.dataSize = data.rows;
    this.carryOver = sgd?.carryOver ?? true;
    this.stepsPerBatchAtTauOne = stepsAtOne;
    this.estimates = options.estimates ?? true;
    this.firstRoundEstimates = this.estimates && (options.firstRoundEstimates ?? false);
    // A minibatch as large as the data is the data: plain gradient descent, no sampling.
    if (sgd !== undefined && sgd.batchSize < data.rows) {
      // Forked before the main stream draws anything; forking leaves that stream as it was.
      if (this.estimates && options.gradientNoise === true) {
        this.noiseSampler = new MinibatchSampler(data.rows, sgd.batchSize, rng.fork(NOISE_STREAM));
      }
      this.sampler = new MinibatchSampler(data.rows, sgd.batchSize, rng);
    } else {
      this.current = { objective: model.bind(data), steps: 0 };
    }
  }

  /** Runs one round: order.tau local updates from order.weights, and the node's report. */
  runRound(order: RoundOrder): RoundReport {
    this.beginRound(order);
    this.advance(Number.POSITIVE_INFINITY);
    return this.endRound();
  }

  /**
   * Starts a round that the caller then drives with advance() and ends with endRound() (or
   * abandonRound()), so that a node can serve its connection and signals between slices of a
   * long round. runRound() is the same three steps at once: the updates are the same.
   */
  beginRound(order: RoundOrder): void {
    if (this.disposed) throw new Error("Cannot run a round: the local trainer was disposed");
    const { round, tau } = order;
    if (this.running !== undefined) {
      throw new Error(
        `Cannot start round ${round}: round ${this.running.order.round} is still running`,
      );
    }
    if (!(Number.isInteger(tau) && tau >= 1)) {
      throw new RangeError(`Cannot run round ${round}: tau must be an integer >= 1, got ${tau}`);
    }
    if (order.weights.length !== this.model.size) {
      throw new RangeError(
        `Cannot run round ${round}: the order carries ${order.weights.length} weights, the ${this.model.kind} model has ${this.model.size}`,
      );
    }
    if (round === 1) {
      this.ends = [];
      this.starts = [];
      this.best = undefined;
    }
    // Min-loss rule: the flag is about the weights this node started the previous round from.
    const prevStart = this.starts.find((s) => s.round === round - 1);
    if (order.prevGlobalWasBest && prevStart !== undefined) {
      // On the full data a loss never changes: keep it rather than recompute it each round.
      const loss = this.sampler === undefined ? prevStart.loss : undefined;
      this.best = { w: prevStart.w, loss };
    }
    this.rewindStreams(round);
    // Copied: the caller may reuse its buffer, and w(t0) is kept for the next round.
    const wGlobal = order.weights.slice();
    this.roundFirst = undefined;
    this.running = {
      order,
      wGlobal,
      w: wGlobal.slice(),
      grad: new Float64Array(wGlobal.length),
      gradAtGlobal: undefined,
      lossAtGlobal: Number.NaN,
      done: 0,
      localSeconds: 0,
    };
  }

  /**
   * Runs the round's next local updates: at least one, then more while `seconds` of local time
   * have not passed in this call. True once all tau are done. Only the updates count towards
   * localSeconds, not the time between calls.
   */
  advance(seconds: number): boolean {
    const r = this.running;
    if (r === undefined) throw new Error("Cannot advance: no round is running");
    const { tau } = r.order;
    const { w, grad } = r;
    const eta = this.eta;
    if (r.done === tau) return true;
    const t0 = this.clock.now();
    let elapsed: number;
    do {
      const i = r.done;
      const batch = this.batchForUpdate(i, tau);
      const loss = batch.objective.lossAndGradient(w, grad);
      if (i === 0) {
        r.lossAtGlobal = loss;
        r.gradAtGlobal = grad.slice();
      }
      for (let k = 0; k < w.length; k++) w[k] -= eta * grad[k];
      batch.steps++;
      r.done++;
      elapsed = this.clock.now() - t0;
    } while (r.done < tau && elapsed < seconds);
    r.localSeconds += elapsed;
    return r.done === tau;
  }

  /**
   * Gives up the running round (the run stopped, or the node's deadline passed): no report, and
   * the round leaves no end or start point behind; the minibatch stream stays where it got to.
   */
  abandonRound(): void {
    const r = this.running;
    if (r === undefined) return;
    this.running = undefined;
    const first = this.roundFirst;
    if (first !== undefined && first !== this.current) first.objective.dispose();
    this.roundFirst = undefined;
  }

  /** Ends the running round once advance() has done all its updates: the node's report. */
  endRound(): RoundReport {
    const r = this.running;
    if (r === undefined) throw new Error("Cannot end a round: no round is running");
    const { order, wGlobal, w, lossAtGlobal, localSeconds } = r;
    const { round, tau } = order;
    if (r.done !== tau) {
      throw new Error(`Cannot end round ${round}: ${r.done} of its ${tau} updates are done`);
    }
    this.running = undefined;
    const gradAtGlobal = r.gradAtGlobal!;

    // Below: per-round work whose cost does not grow with tau, so it stays out of localSeconds.
    const first = this.roundFirst!;
    const best = this.best;
    const lossAtBest = best === undefined ? undefined : (best.loss ?? first.objective.loss(best.w));

    // The latest end point before this round (a node that missed rounds uses its last one).
    const before = this.ends.filter((e) => e.round < round);
    const prev: EndPoint | undefined = before[before.length - 1];
    let estimates: ReturnType<typeof nodeEstimates> | undefined;
    if (prev !== undefined) {
      estimates = nodeEstimates({
        wPrev: prev.w,
        wGlobal,
        gradPrev: prev.grad,
        gradGlobal: gradAtGlobal,
        lossPrev: prev.loss,
        lossGlobal: lossAtGlobal,
      });
    } else if (this.firstRoundEstimates) {
      // This round's own end point, on the samples of its first update.
      const endGrad = new Float64Array(w.length);
      const endLoss = first.objective.lossAndGradient(w, endGrad);
      estimates = nodeEstimates({
        wPrev: w,
        wGlobal,
        gradPrev: endGrad,
        gradGlobal: gradAtGlobal,
        lossPrev: endLoss,
        lossGlobal: lossAtGlobal,
      });
    }
    if (first !== this.current) first.objective.dispose();
    this.roundFirst = undefined;

    let reportedGrad = gradAtGlobal;
    let gradNoise: number | undefined;
    if (this.noiseSampler !== undefined) {
      const second = this.model.bind(batchRows(this.data, this.noiseSampler.next()));
      const g2 = new Float64Array(w.length);
      second.lossAndGradient(wGlobal, g2);
      second.dispose();
      reportedGrad = new Float64Array(w.length);
      let d2 = 0;
      for (let k = 0; k < w.length; k++) {
        const e = gradAtGlobal[k] - g2[k];
        d2 += e * e;
        reportedGrad[k] = 0.5 * (gradAtGlobal[k] + g2[k]);
      }
      gradNoise = d2 / 4;
    }

    // This round's points replace those of any round from it on (a repeated round).
    const earlier = <T extends { readonly round: Round }>(points: T[]) =>
      points.filter((p) => p.round < round).slice(-1);
    this.starts = [...earlier(this.starts), { round, w: wGlobal, loss: lossAtGlobal }];
    // The extra evaluation at the final local weights, on the last update's batch, which the
    // next round's first update reuses. After the last round, or without estimates, nothing
    // needs it.
    this.ends = earlier(this.ends);
    if (!order.lastRound && this.estimates) {
      const endGrad = new Float64Array(w.length);
      const endLoss = this.current!.objective.lossAndGradient(w, endGrad);
      this.ends.push({ round, w: w.slice(), grad: endGrad, loss: endLoss });
    }

    return {
      round,
      weights: w,
      tauDone: tau,
      localSeconds,
      dataSize: this.dataSize,
      lossAtGlobal,
      gradAtGlobal: reportedGrad,
      ...(gradNoise !== undefined && { gradNoise }),
      ...(estimates !== undefined && { beta: estimates.beta, rho: estimates.rho }),
      ...(lossAtBest !== undefined && { lossAtBest }),
    };
  }

  /** Frees the kernel memory of the bound batches. The trainer cannot run rounds afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.current?.objective.dispose();
    this.current = undefined;
  }

  /**
   * Under SGD: a round run before starts from the streams it started from the first time (and
   * its carried minibatch); any other round records where the streams are now.
   */
  private rewindStreams(round: Round): void {
    const sampler = this.sampler;
    if (sampler === undefined) return;
    const again = this.streams.find((s) => s.round === round);
    if (again !== undefined) {
      sampler.restore(again.sampler);
      if (again.noise !== undefined) this.noiseSampler?.restore(again.noise);
      const old = this.current;
      this.current =
        again.carried === undefined
          ? undefined
          : {
              objective: this.model.bind(batchRows(this.data, again.carried.rows)),
              steps: again.carried.steps,
              rows: again.carried.rows,
            };
      old?.objective.dispose();
    }
    const carried = this.current;
    const now: StreamsAtStart = again ?? {
      round,
      sampler: sampler.state(),
      noise: this.noiseSampler?.state(),
      carried:
        carried?.rows === undefined ? undefined : { rows: carried.rows, steps: carried.steps },
    };
    this.streams = [...this.streams.filter((s) => s.round < round).slice(-1), now];
  }

  /**
   * The batch for local update i of a round of tau: the full data, or under SGD the minibatch of
   * the previous update when carried over into a round's first update, else a fresh one.
   */
  private batchForUpdate(i: number, tau: number): BoundBatch {
    const sampler = this.sampler;
    let batch = this.current;
    if (sampler !== undefined) {
      const reuse =
        batch !== undefined &&
        i === 0 &&
        this.carryOver &&
        (tau > 1 || batch.steps < this.stepsPerBatchAtTauOne);
      if (!reuse) {
        const old = batch;
        const rows = sampler.next();
        batch = { objective: this.model.bind(batchRows(this.data, rows)), steps: 0, rows };
        this.current = batch;
        // The round's first batch stays bound until lossAtBest has been computed on it.
        if (old !== undefined && old !== this.roundFirst) old.objective.dispose();
      }
    }
    if (i === 0) this.roundFirst = batch;
    return batch!;
  }
}
