import type { Round } from "../units.js";
import { weightedMean } from "./weighted-mean.js";

/** The part of a node's report the min-loss rule reads (docs/algorithm.md section 4). */
export interface LossReport {
  /** D_i. */
  readonly dataSize: number;
  /** F_i(w(t0)) of the round's starting global weights. */
  readonly lossAtGlobal: number;
  /** The node's loss of its copy of the best weights, on the same samples as lossAtGlobal. */
  readonly lossAtBest?: number;
}

/** Plain data (weights as a number array), so that a checkpoint can keep it. */
export interface MinLossState {
  /** The smallest loss seen, refreshed from the nodes' lossAtBest when they send it. */
  readonly bestLoss: number | null;
  readonly bestWeights: number[] | null;
  /** The round whose starting weights are the best. */
  readonly bestRound: Round | null;
  /** Whether the latest observed round's starting weights became the best. */
  readonly prevGlobalWasBest: boolean;
}

export interface MinLossObservation {
  /** F(w(t0)) = sum D_i lossAtGlobal_i / D over the reports; null without reports. */
  readonly lossAtStart: number | null;
  readonly bestLoss: number | null;
  /** True when this round's starting weights are now the best. */
  readonly startIsBest: boolean;
}

/**
 * The min-loss rule: the bound holds for the best iterate, so the run returns the global weights
 * with the smallest loss seen. Each round's starting weights w(t0) are judged by the nodes'
 * D-weighted lossAtGlobal; under SGD those are minibatch estimates, so the best loss is refreshed
 * from the nodes' lossAtBest (the best weights on the same minibatch), as the authors do.
 */
export class MinLossTracker {
  private bestLoss: number | null;
  private best: Float64Array | null;
  private bestRound: Round | null;
  private wasBest: boolean;

  constructor(state?: MinLossState) {
    this.bestLoss = state?.bestLoss ?? null;
    this.best = state?.bestWeights ? Float64Array.from(state.bestWeights) : null;
    this.bestRound = state?.bestRound ?? null;
    this.wasBest = state?.prevGlobalWasBest ?? false;
  }

  /**
   * Learns the loss of the round's starting weights. Reports must carry finite losses (the
   * engine leaves out any that do not). Without reports nothing is learnt and the previous
   * start is not the best.
   */
  observe(
    round: Round,
    startWeights: Float64Array,
    reports: readonly LossReport[],
  ): MinLossObservation {
    const lossAtStart = weightedMean(reports, (r) => r.lossAtGlobal);
    if (lossAtStart === null) {
      this.wasBest = false;
      return { lossAtStart, bestLoss: this.bestLoss, startIsBest: false };
    }

    // Compare like with like: the nodes that sent lossAtBest, both losses on their minibatch.
    // A node may hold best weights the aggregator never had (a restart): only trust it when
    // the aggregator has some too.
    const fresh = this.best === null ? [] : reports.filter((r) => r.lossAtBest !== undefined);
    let startLoss = lossAtStart;
    if (fresh.length > 0) {
      this.bestLoss = weightedMean(fresh, (r) => r.lossAtBest);
      startLoss = weightedMean(fresh, (r) => r.lossAtGlobal) as number;
    }

    const startIsBest = this.bestLoss === null || startLoss < this.bestLoss;
    if (startIsBest) {
      this.bestLoss = lossAtStart;
      this.best = startWeights.slice();
      this.bestRound = round;
    }
    this.wasBest = startIsBest;
    return { lossAtStart, bestLoss: this.bestLoss, startIsBest };
  }

  /** For the next round's order: whether the previous round's starting weights are the best. */
  get prevGlobalWasBest(): boolean {
    return this.wasBest;
  }

  /** The best global weights so far (a copy), or null before any round was observed. */
  bestWeights(): Float64Array | null {
    return this.best === null ? null : this.best.slice();
  }

  get bestLossSeen(): number | null {
    return this.bestLoss;
  }

  get bestRoundSeen(): Round | null {
    return this.bestRound;
  }

  snapshot(): MinLossState {
    return {
      bestLoss: this.bestLoss,
      bestWeights: this.best === null ? null : Array.from(this.best),
      bestRound: this.bestRound,
      prevGlobalWasBest: this.wasBest,
    };
  }
}
