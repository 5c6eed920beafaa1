import type { Round, Seconds, Tau } from "../units.js";

/** What the aggregator tells every node at a round's start (docs/algorithm.md section 6, step 4). */
export interface RoundOrder {
  readonly round: Round;
  /** The global weights w(t0) every node starts the round from. */
  readonly weights: Float64Array;
  readonly tau: Tau;
  /** True for the evaluation-only round after the last full one. */
  readonly lastRound: boolean;
  /**
   * True when the global weights of the previous round's start had the smallest loss seen so
   * far: the node then keeps them as its copy of the best weights (min-loss rule, section 4).
   */
  readonly prevGlobalWasBest: boolean;
}

/** What a node reports after its local updates (docs/algorithm.md section 2). */
export interface RoundReport {
  readonly round: Round;
  /** Local weights after tauDone steps. */
  readonly weights: Float64Array;
  readonly tauDone: Tau;
  /** Wall time of the tauDone local updates only (or a simulated cost). */
  readonly localSeconds: Seconds;
  /** D_i: number of local samples. */
  readonly dataSize: number;
  /** F_i(w(t0)), on the round's first minibatch under SGD. */
  readonly lossAtGlobal: number;
  /** grad F_i(w(t0)): on the round's first minibatch, or the mean of two (see gradNoise). */
  readonly gradAtGlobal: Float64Array;
  /**
   * The estimated squared sampling error of gradAtGlobal under SGD, |g1 - g2|^2 / 4 from two
   * independent minibatches at w(t0); the aggregator subtracts it from delta. Absent: none
   * estimated (full batch, or the paper's rules).
   */
  readonly gradNoise?: number;
  /** beta_i and rho_i: from round 2 on, or from round 1 with first-round estimates. */
  readonly beta?: number;
  readonly rho?: number;
  /** Loss of the node's copy of the best weights on the same minibatch as lossAtGlobal; undefined until it has one. */
  readonly lossAtBest?: number;
}
