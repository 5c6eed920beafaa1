import type { Rng } from "../data/rng.js";
import type { Kernels } from "../linalg/kernels.js";
import { withMatrix } from "./bound-matrix.js";
import { evaluateOnce } from "./evaluate-once.js";
import { allFinite } from "./finite-weights.js";
import {
  checkBatch,
  checkFeatures,
  checkFiniteTargets,
  checkIntegerOption,
  checkLambda,
  checkWeights,
} from "./input-checks.js";
import {
  LinearScoreObjective,
  type ScoreLoss,
  type ScoreMetric,
} from "./linear-score-objective.js";
import type { Batch, Evaluation, Model, Objective } from "./model.js";

/**
 * Linear regression with squared error, one of the paper's models:
 *
 *     F(w) = lambda/2 |w|^2 + 1/(2n) sum_j (<w, x_j> - y_j)^2
 *
 * No bias term (append a constant-1 feature for one); lambda defaults to 0. `evaluate` reports
 * the loss and, as `error`, the mean squared error 1/n sum (<w, x> - y)^2 (no 1/2, no penalty).
 */

export const LINEAR_DEFAULT_LAMBDA = 0;

export interface LinearRegressionOptions {
  readonly kernels: Kernels;
  /** L2 weight, >= 0; default 0. */
  readonly lambda?: number;
}

const halfSquaredError: ScoreLoss = {
  value: (m, y) => 0.5 * (m - y) * (m - y),
  slope: (m, y) => m - y,
};

/** The mean squared error (NaN for NaN or infinite weights). */
const meanSquaredError: ScoreMetric = {
  name: "error",
  row: (m, y) => (m - y) * (m - y),
  whenNotFinite: Number.NaN,
};

export class LinearRegressionModel implements Model {
  readonly kind = "linear" as const;
  readonly size: number;
  readonly lambda: number;
  readonly kernels: Kernels;

  constructor(
    readonly inputDim: number,
    options: LinearRegressionOptions,
  ) {
    checkIntegerOption("linear", "inputDim", inputDim, 1);
    this.lambda = options.lambda ?? LINEAR_DEFAULT_LAMBDA;
    checkLambda("linear", this.lambda);
    this.size = inputDim;
    this.kernels = options.kernels;
  }

  /** Zeros: the loss is convex. */
  initialWeights(_rng?: Rng, _data?: Batch): Float64Array {
    return new Float64Array(this.size);
  }

  bind(batch: Batch): Objective {
    return this.bindLinear(batch, "bind linear");
  }

  /** The predicted value <w, x> per row. */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    checkWeights("predict with linear", this.size, w);
    checkFeatures("predict with linear", this.inputDim, x, rows);
    const values = new Float64Array(rows);
    if (rows === 0) return values;
    if (!allFinite(w)) return values.fill(Number.NaN);
    withMatrix(this.kernels, x, rows, this.inputDim, (m) => this.kernels.matVec(m, w, values));
    return values;
  }

  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights("evaluate linear", this.size, w);
    return evaluateOnce(this.bindLinear(batch, "evaluate linear"), w);
  }

  private bindLinear(batch: Batch, action: string): LinearScoreObjective {
    checkBatch(action, this.inputDim, batch);
    checkFiniteTargets(action, batch.y);
    return new LinearScoreObjective(
      "linear",
      this.kernels,
      halfSquaredError,
      meanSquaredError,
      this.lambda,
      batch,
    );
  }
}
