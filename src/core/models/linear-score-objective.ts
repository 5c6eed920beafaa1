import type { Batch } from "../data/batch.js";
import type { Kernels } from "../linalg/kernels.js";
import { BoundObjective } from "./bound-objective.js";
import { nanLoss } from "./finite-weights.js";
import type { LinearModelSpec } from "./linear-model.js";
import type { Evaluation, ModelKind } from "./model.js";
import { addL2Gradient, l2Penalty } from "./regularizer.js";

/** A per-sample loss of the score m = <w, x> against a target y, with its slope in m. */
export interface ScoreLoss {
  value(m: number, y: number): number;
  /** d value / d m. */
  slope(m: number, y: number): number;
}

/** What `evaluate` reports beside the loss: the mean over rows of a per-row score. */
export interface ScoreMetric {
  readonly name: "accuracy" | "error";
  /** One row's share of the metric at score m: 1 or 0 for accuracy, a squared residual for error. */
  row(m: number, y: number): number;
  /** The value reported for NaN or infinite weights. */
  readonly whenNotFinite: number;
}

/** The spec of a linear model whose objective is a LinearScoreObjective of `loss` and `metric`. */
export function scoreModelSpec<K extends ModelKind>(
  kind: K,
  defaultLambda: number,
  checkTargets: (action: string, y: Float64Array) => void,
  loss: ScoreLoss,
  metric: ScoreMetric,
): LinearModelSpec<K> {
  return {
    kind,
    defaultLambda,
    checkTargets,
    objective: (model, batch) => new LinearScoreObjective(model, loss, metric, batch),
  };
}

/**
 * The objective of a linear model whose loss (and reported metric) depends on each sample only
 * through its score:
 *
 *     F(w) = lambda/2 |w|^2 + 1/n sum_j l(<w, x_j>, y_j)
 *     grad = lambda w + X^T r,   r_j = l'(<w, x_j>, y_j) / n
 *
 * Two passes over X per gradient (kernels.matVec, then kernels.matTVec); logistic and linear
 * regression share it and differ only in `l` and the metric.
 */
export class LinearScoreObjective extends BoundObjective {
  private readonly name: string;
  private readonly kernels: Kernels;
  private readonly lambda: number;
  /** <w, x_j> per row, from the last pass. */
  private readonly scores: Float64Array;
  private readonly residuals: Float64Array;

  constructor(
    model: {
      readonly kind: string;
      readonly kernels: Kernels;
      readonly lambda: number;
      readonly size: number;
    },
    private readonly pointLoss: ScoreLoss,
    private readonly metric: ScoreMetric,
    batch: Batch,
  ) {
    super(model.kernels, batch, model.size);
    this.name = model.kind;
    this.kernels = model.kernels;
    this.lambda = model.lambda;
    this.scores = new Float64Array(batch.rows);
    this.residuals = new Float64Array(batch.rows);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const m = this.gradientMatrix(`compute the ${this.name} gradient`, w, grad);
    if (m === undefined) return nanLoss(grad);
    this.kernels.matVec(m, w, this.scores);
    const n = this.rows;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += this.pointLoss.value(this.scores[j], this.y[j]);
      this.residuals[j] = this.pointLoss.slope(this.scores[j], this.y[j]) / n;
    }
    this.kernels.matTVec(m, this.residuals, grad);
    addL2Gradient(grad, w, this.lambda);
    return l2Penalty(w, this.lambda) + sum / n;
  }

  loss(w: Float64Array): number {
    const m = this.valueMatrix(`compute the ${this.name} loss`, w);
    if (m === undefined) return nanLoss();
    this.kernels.matVec(m, w, this.scores);
    let sum = 0;
    for (let j = 0; j < this.rows; j++) sum += this.pointLoss.value(this.scores[j], this.y[j]);
    return l2Penalty(w, this.lambda) + sum / this.rows;
  }

  /** The loss and the metric from one pass over X (kernels.matVec) and one over the scores. */
  evaluate(w: Float64Array): Evaluation {
    const m = this.valueMatrix(`evaluate ${this.name}`, w);
    if (m === undefined) return this.evaluation(nanLoss(), this.metric.whenNotFinite);
    this.kernels.matVec(m, w, this.scores);
    let sum = 0;
    let total = 0;
    for (let j = 0; j < this.rows; j++) {
      sum += this.pointLoss.value(this.scores[j], this.y[j]);
      total += this.metric.row(this.scores[j], this.y[j]);
    }
    return this.evaluation(l2Penalty(w, this.lambda) + sum / this.rows, total / this.rows);
  }

  private evaluation(loss: number, metric: number): Evaluation {
    return this.metric.name === "accuracy" ? { loss, accuracy: metric } : { loss, error: metric };
  }
}
