import type { Rng } from "../data/rng.js";
import type { Kernels } from "../linalg/kernels.js";
import { withMatrix } from "./bound-matrix.js";
import { evaluateOnce } from "./evaluate-once.js";
import { allFinite } from "./finite-weights.js";
import {
  checkBatch,
  checkFeatures,
  checkIntegerOption,
  checkLambda,
  checkSignTargets,
  checkWeights,
} from "./input-checks.js";
import {
  LinearScoreObjective,
  type ScoreLoss,
  type ScoreMetric,
} from "./linear-score-objective.js";
import type { Batch, Evaluation, Model, Objective } from "./model.js";

/**
 * Binary logistic regression, labels +1/-1:
 *
 *     F(w) = lambda/2 |w|^2 + 1/n sum_j log(1 + exp(-y_j <w, x_j>))
 *
 * No bias term, like the SVM, so the two are interchangeable on the same data; a caller that
 * wants one appends a constant-1 feature to its data (the weight on it is then the bias, and is
 * regularised like the others). lambda defaults to 0 (plain maximum likelihood).
 */

export const LOGISTIC_DEFAULT_LAMBDA = 0;

export interface LogisticOptions {
  readonly kernels: Kernels;
  /** L2 weight, >= 0; default 0. */
  readonly lambda?: number;
}

/** log(1 + exp(z)) without overflow for large z or loss of precision for very negative z. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** 1 / (1 + exp(-z)), never computing exp of a large positive number. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

const logLoss: ScoreLoss = {
  value: (m, y) => softplus(-y * m),
  slope: (m, y) => -y * sigmoid(-y * m),
};

/** The share of rows with y <w, x> > 0 (0 for NaN or infinite weights). */
const signAccuracy: ScoreMetric = {
  name: "accuracy",
  row: (m, y) => (y * m > 0 ? 1 : 0),
  whenNotFinite: 0,
};

export class LogisticModel implements Model {
  readonly kind = "logistic" as const;
  readonly size: number;
  readonly lambda: number;
  readonly kernels: Kernels;

  constructor(
    readonly inputDim: number,
    options: LogisticOptions,
  ) {
    checkIntegerOption("logistic", "inputDim", inputDim, 1);
    this.lambda = options.lambda ?? LOGISTIC_DEFAULT_LAMBDA;
    checkLambda("logistic", this.lambda);
    this.size = inputDim;
    this.kernels = options.kernels;
  }

  /** Zeros: the loss is convex. */
  initialWeights(_rng?: Rng, _data?: Batch): Float64Array {
    return new Float64Array(this.size);
  }

  bind(batch: Batch): Objective {
    return this.bindLogistic(batch, "bind logistic");
  }

  /** The log-odds <w, x> of label +1 per row: its sign is the predicted label. */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    checkWeights("predict with logistic", this.size, w);
    checkFeatures("predict with logistic", this.inputDim, x, rows);
    const scores = new Float64Array(rows);
    if (rows === 0) return scores;
    if (!allFinite(w)) return scores.fill(Number.NaN);
    withMatrix(this.kernels, x, rows, this.inputDim, (m) => this.kernels.matVec(m, w, scores));
    return scores;
  }

  /** Loss and the share of rows with y <w, x> > 0. */
  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights("evaluate logistic", this.size, w);
    return evaluateOnce(this.bindLogistic(batch, "evaluate logistic"), w);
  }

  private bindLogistic(batch: Batch, action: string): LinearScoreObjective {
    checkBatch(action, this.inputDim, batch);
    checkSignTargets(action, batch.y);
    return new LinearScoreObjective(
      "logistic",
      this.kernels,
      logLoss,
      signAccuracy,
      this.lambda,
      batch,
    );
  }
}
