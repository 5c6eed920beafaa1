import { checkFiniteTargets } from "./input-checks.js";
import { LinearModel, type LinearModelOptions } from "./linear-model.js";
import { type ScoreLoss, type ScoreMetric, scoreModelSpec } from "./linear-score-objective.js";

/**
 * Linear regression with squared error, one of the paper's models:
 *
 *     F(w) = lambda/2 |w|^2 + 1/(2n) sum_j (<w, x_j> - y_j)^2
 *
 * No bias term (append a constant-1 feature for one); lambda defaults to 0. `evaluate` reports
 * the loss and, as `error`, the mean squared error 1/n sum (<w, x> - y)^2 (no 1/2, no penalty).
 */

export const LINEAR_DEFAULT_LAMBDA = 0;

/** lambda: L2 weight, >= 0; default 0. */
export type LinearRegressionOptions = LinearModelOptions;

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

const linearSpec = scoreModelSpec(
  "linear",
  LINEAR_DEFAULT_LAMBDA,
  checkFiniteTargets,
  halfSquaredError,
  meanSquaredError,
);

export class LinearRegressionModel extends LinearModel<"linear"> {
  constructor(inputDim: number, options: LinearRegressionOptions) {
    super(linearSpec, inputDim, options);
  }
}
