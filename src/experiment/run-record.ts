import type { TauMode } from "../core/control/tau-policy.js";
import type { DistributionCase } from "../core/data/partition.js";
import type { MinibatchStreams } from "../core/train/node-rng.js";

/** The outcome of one run: one row of results.csv / results.json. */
export interface RunRecord {
  readonly model: string;
  readonly case: DistributionCase;
  /** The nodes' minibatch streams; null under full-batch descent. */
  readonly minibatches: MinibatchStreams | null;
  readonly tauMode: TauMode;
  /** Loss on the full training data (every node's samples) at the returned weights. */
  readonly finalLoss: number;
  /** Share of test samples predicted right at the returned weights; null for regression. */
  readonly testAccuracy: number | null;
  /** Test loss at the returned weights. */
  readonly testLoss: number;
  /** Mean tau weighted by iterations: sum tau^2 / sum tau over all rounds (as the authors report it). */
  readonly meanTau: number;
  /** Rounds, including the evaluation-only round. */
  readonly rounds: number;
  /** Local updates per node, summed over all rounds. */
  readonly iterations: number;
  /** The controller's last estimates (NaN when the run had none, e.g. fewer than two rounds). */
  readonly beta: number;
  readonly delta: number;
  readonly rho: number;
  /** Per resource, the budget ("time" in seconds, "bytes") and what the run spent of each. */
  readonly budget: Readonly<Record<string, number>>;
  readonly spent: Readonly<Record<string, number>>;
  /** The limit that ended the run: "time" or "bytes" (null if it is not known). */
  readonly binding: string | null;
}

/** One round of one run: one row of rounds.csv. */
export interface RoundRecord {
  readonly model: string;
  readonly case: DistributionCase;
  readonly minibatches: MinibatchStreams | null;
  readonly tauMode: TauMode;
  readonly round: number;
  /** "full", "last-full" (the budget's last full round) or "evaluation" (evaluation-only). */
  readonly kind: string;
  /** tau ordered for this round, and the most any node did. */
  readonly tau: number;
  readonly tauDone: number;
  /** Global training loss at the round's starting weights, from the nodes' reports. */
  readonly loss: number;
  /** The global model after aggregation, on the test data (NaN/null when not evaluated). */
  readonly testLoss: number;
  readonly testAccuracy: number | null;
  readonly beta: number;
  readonly rho: number;
  readonly delta: number;
  /** Cost of one local update and of one aggregation, seconds. */
  readonly c: number;
  readonly b: number;
  /** Seconds of time and bytes spent after this round (NaN when not counted). */
  readonly timeSpent: number;
  readonly bytesSpent: number;
  /** Nodes whose report was used. */
  readonly nodesReported: number;
}
