import type { Rng } from "../data/rng.js";
import type { Kernels } from "../linalg/kernels.js";
import { BoundMatrix, withMatrix } from "./bound-matrix.js";
import { evaluateOnce } from "./evaluate-once.js";
import { allFinite, nanLoss } from "./finite-weights.js";
import {
  checkBatch,
  checkFeatures,
  checkGradientBuffer,
  checkIntegerOption,
  checkLambda,
  checkSignTargets,
  checkWeights,
} from "./input-checks.js";
import type { Batch, Evaluation, Model, Objective } from "./model.js";
import { addL2Gradient, l2Penalty } from "./regularizer.js";

/**
 * The smooth (squared-hinge) SVM of the paper, the flagship model (algorithm.md section 1):
 *
 *     F(w) = lambda/2 |w|^2 + 1/(2n) sum_j max(0, 1 - y_j <w, x_j>)^2
 *     grad = lambda w - 1/n sum_j y_j x_j max(0, 1 - y_j <w, x_j>)
 *
 * Labels +1/-1, no bias term (as in the authors' experiments), weights start at zero. The data
 * term runs through `kernels.squaredHinge`: one pass over X for loss and gradient together.
 */

export const SVM_DEFAULT_LAMBDA = 0.1;

export interface SvmOptions {
  readonly kernels: Kernels;
  /** Regularisation weight, >= 0; default 0.1 (the paper's). */
  readonly lambda?: number;
}

/**
 * Plain float64 loops, no kernels: the reference the golden file pins and the kernel path is
 * held to. Writes the gradient into `grad` (length `dim`) and returns the loss.
 */
export function svmLossAndGradientReference(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  dim: number,
  w: ArrayLike<number>,
  lambda: number,
  grad: Float64Array,
): number {
  grad.fill(0, 0, dim);
  let data = 0;
  for (let j = 0; j < rows; j++) {
    const o = j * dim;
    let dot = 0;
    for (let k = 0; k < dim; k++) dot += x[o + k] * w[k];
    const slack = 1 - y[j] * dot;
    if (slack <= 0) continue;
    data += slack * slack;
    const coef = y[j] * slack;
    for (let k = 0; k < dim; k++) grad[k] -= coef * x[o + k];
  }
  let squaredNorm = 0;
  for (let k = 0; k < dim; k++) {
    grad[k] = grad[k] / rows + lambda * w[k];
    squaredNorm += w[k] * w[k];
  }
  return 0.5 * lambda * squaredNorm + data / (2 * rows);
}

/** Share of rows with y <w, x> > 0, every row counted (the authors' code skipped the first). */
export function svmAccuracyReference(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  dim: number,
  w: ArrayLike<number>,
): number {
  let correct = 0;
  for (let j = 0; j < rows; j++) {
    let dot = 0;
    for (let k = 0; k < dim; k++) dot += x[j * dim + k] * w[k];
    if (y[j] * dot > 0) correct++;
  }
  return correct / rows;
}

class SvmObjective implements Objective {
  readonly rows: number;
  private readonly data: BoundMatrix;
  private readonly y: Float64Array;
  private readonly margins: Float64Array;

  constructor(
    private readonly model: SvmModel,
    batch: Batch,
  ) {
    this.rows = batch.rows;
    this.y = batch.y.slice();
    this.margins = new Float64Array(batch.rows);
    this.data = new BoundMatrix(model.kernels, batch.x, batch.rows, batch.dim);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const { size, lambda } = this.model;
    checkWeights("compute the svm gradient", size, w);
    checkGradientBuffer("compute the svm gradient", size, grad);
    const m = this.data.get("compute the svm gradient");
    if (!allFinite(w)) return nanLoss(grad);
    const squaredHinge = this.model.kernels.squaredHinge(m, this.y, w, grad);
    const n = this.rows;
    for (let k = 0; k < size; k++) grad[k] /= n;
    addL2Gradient(grad, w, lambda);
    return l2Penalty(w, lambda) + squaredHinge / (2 * n);
  }

  loss(w: Float64Array): number {
    checkWeights("compute the svm loss", this.model.size, w);
    if (!allFinite(w)) return nanLoss();
    this.computeMargins(w, "compute the svm loss");
    return this.lossFromMargins(w);
  }

  /** Loss and accuracy from one pass over X. */
  evaluate(w: Float64Array): Evaluation {
    checkWeights("evaluate svm", this.model.size, w);
    if (!allFinite(w)) return { loss: Number.NaN, accuracy: 0 };
    this.computeMargins(w, "evaluate svm");
    let correct = 0;
    for (let j = 0; j < this.rows; j++) if (this.y[j] * this.margins[j] > 0) correct++;
    return { loss: this.lossFromMargins(w), accuracy: correct / this.rows };
  }

  dispose(): void {
    this.data.dispose();
  }

  private computeMargins(w: Float64Array, action: string): void {
    this.model.kernels.matVec(this.data.get(action), w, this.margins);
  }

  private lossFromMargins(w: Float64Array): number {
    let sum = 0;
    for (let j = 0; j < this.rows; j++) {
      const slack = 1 - this.y[j] * this.margins[j];
      if (slack > 0) sum += slack * slack;
    }
    return l2Penalty(w, this.model.lambda) + sum / (2 * this.rows);
  }
}

export class SvmModel implements Model {
  readonly kind = "svm" as const;
  readonly size: number;
  readonly lambda: number;
  readonly kernels: Kernels;

  constructor(
    readonly inputDim: number,
    options: SvmOptions,
  ) {
    checkIntegerOption("svm", "inputDim", inputDim, 1);
    checkLambda("svm", options.lambda ?? SVM_DEFAULT_LAMBDA);
    this.size = inputDim;
    this.lambda = options.lambda ?? SVM_DEFAULT_LAMBDA;
    this.kernels = options.kernels;
  }

  /** Zeros, as in the paper (the loss is convex: no symmetry to break). */
  initialWeights(_rng?: Rng, _data?: Batch): Float64Array {
    return new Float64Array(this.size);
  }

  bind(batch: Batch): Objective {
    return this.bindSvm(batch, "bind svm");
  }

  /** The score <w, x> per row: its sign is the predicted label, its size the confidence. */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    checkWeights("predict with svm", this.size, w);
    checkFeatures("predict with svm", this.inputDim, x, rows);
    const scores = new Float64Array(rows);
    if (rows === 0) return scores;
    if (!allFinite(w)) return scores.fill(Number.NaN);
    withMatrix(this.kernels, x, rows, this.inputDim, (m) => this.kernels.matVec(m, w, scores));
    return scores;
  }

  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights("evaluate svm", this.size, w);
    return evaluateOnce(this.bindSvm(batch, "evaluate svm"), w);
  }

  private bindSvm(batch: Batch, action: string): SvmObjective {
    checkBatch(action, this.inputDim, batch);
    checkSignTargets(action, batch.y);
    return new SvmObjective(this, batch);
  }
}
