import type { Kernels } from "../linalg/kernels.js";
import { BoundMatrix } from "./bound-matrix.js";
import { allFinite, nanLoss } from "./finite-weights.js";
import { checkGradientBuffer, checkWeights } from "./input-checks.js";
import type { Batch, Evaluation, Objective } from "./model.js";
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
export class LinearScoreObjective implements Objective {
  readonly rows: number;
  private readonly y: Float64Array;
  /** <w, x_j> per row, from the last pass. */
  private readonly scores: Float64Array;
  private readonly residuals: Float64Array;
  private readonly data: BoundMatrix;

  constructor(
    private readonly name: string,
    private readonly kernels: Kernels,
    private readonly pointLoss: ScoreLoss,
    private readonly metric: ScoreMetric,
    private readonly lambda: number,
    batch: Batch,
  ) {
    this.rows = batch.rows;
    this.y = batch.y.slice();
    this.scores = new Float64Array(batch.rows);
    this.residuals = new Float64Array(batch.rows);
    this.data = new BoundMatrix(kernels, batch.x, batch.rows, batch.dim);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const action = `compute the ${this.name} gradient`;
    checkWeights(action, this.data.cols, w);
    checkGradientBuffer(action, this.data.cols, grad);
    const m = this.data.get(action);
    if (!allFinite(w)) return nanLoss(grad);
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
    const action = `compute the ${this.name} loss`;
    checkWeights(action, this.data.cols, w);
    if (!allFinite(w)) return nanLoss();
    this.computeScores(w, action);
    return this.lossFromScores(w);
  }

  /** The loss and the metric from one pass over X (kernels.matVec) and one over the scores. */
  evaluate(w: Float64Array): Evaluation {
    const action = `evaluate ${this.name}`;
    checkWeights(action, this.data.cols, w);
    if (!allFinite(w)) return this.evaluation(nanLoss(), this.metric.whenNotFinite);
    this.computeScores(w, action);
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

  /** Fills `scores` with <w, x_j> (weights already checked). */
  private computeScores(w: Float64Array, action: string): void {
    this.kernels.matVec(this.data.get(action), w, this.scores);
  }

  /** The loss at `w` from the scores of the last pass. */
  private lossFromScores(w: Float64Array): number {
    let sum = 0;
    for (let j = 0; j < this.rows; j++) sum += this.pointLoss.value(this.scores[j], this.y[j]);
    return l2Penalty(w, this.lambda) + sum / this.rows;
  }

  dispose(): void {
    this.data.dispose();
  }
}
