import { checkSignTargets } from "./input-checks.js";
import { LinearModel, type LinearModelOptions } from "./linear-model.js";
import { type ScoreLoss, type ScoreMetric, scoreModelSpec } from "./linear-score-objective.js";

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

/** lambda: L2 weight, >= 0; default 0. */
export type LogisticOptions = LinearModelOptions;

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

const logisticSpec = scoreModelSpec(
  "logistic",
  LOGISTIC_DEFAULT_LAMBDA,
  checkSignTargets,
  logLoss,
  signAccuracy,
);

export class LogisticModel extends LinearModel<"logistic"> {
  constructor(inputDim: number, options: LogisticOptions) {
    super(logisticSpec, inputDim, options);
  }
}
