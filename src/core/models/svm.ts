import type { Batch } from "../data/batch.js";
import { BoundObjective } from "./bound-objective.js";
import { nanLoss } from "./finite-weights.js";
import { checkSignTargets } from "./input-checks.js";
import { LinearModel, type LinearModelOptions } from "./linear-model.js";
import type { Evaluation } from "./model.js";
import { addL2Gradient, l2Penalty } from "./regularizer.js";

/**
 * The smooth (squared-hinge) SVM of the paper, the flagship model (docs/algorithm.md section 1):
 *
 *     F(w) = lambda/2 |w|^2 + 1/(2n) sum_j max(0, 1 - y_j <w, x_j>)^2
 *     grad = lambda w - 1/n sum_j y_j x_j max(0, 1 - y_j <w, x_j>)
 *
 * Labels +1/-1, no bias term (as in the authors' experiments), weights start at zero. The data
 * term runs through `kernels.squaredHinge`: one pass over X for loss and gradient together.
 */

export const SVM_DEFAULT_LAMBDA = 0.1;

/** lambda: the regularisation weight, >= 0; default 0.1 (the paper's). */
export type SvmOptions = LinearModelOptions;

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

class SvmObjective extends BoundObjective {
  private readonly margins: Float64Array;

  constructor(
    private readonly model: LinearModel<"svm">,
    batch: Batch,
  ) {
    super(model.kernels, batch, model.size);
    this.margins = new Float64Array(batch.rows);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const { size, lambda } = this.model;
    const m = this.gradientMatrix("compute the svm gradient", w, grad);
    if (m === undefined) return nanLoss(grad);
    const squaredHinge = this.model.kernels.squaredHinge(m, this.y, w, grad);
    const n = this.rows;
    for (let k = 0; k < size; k++) grad[k] /= n;
    addL2Gradient(grad, w, lambda);
    return l2Penalty(w, lambda) + squaredHinge / (2 * n);
  }

  loss(w: Float64Array): number {
    const m = this.valueMatrix("compute the svm loss", w);
    if (m === undefined) return nanLoss();
    this.model.kernels.matVec(m, w, this.margins);
    return this.lossFromMargins(w);
  }

  /** Loss and accuracy from one pass over X. */
  evaluate(w: Float64Array): Evaluation {
    const m = this.valueMatrix("evaluate svm", w);
    if (m === undefined) return { loss: nanLoss(), accuracy: 0 };
    this.model.kernels.matVec(m, w, this.margins);
    let correct = 0;
    for (let j = 0; j < this.rows; j++) if (this.y[j] * this.margins[j] > 0) correct++;
    return { loss: this.lossFromMargins(w), accuracy: correct / this.rows };
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

export class SvmModel extends LinearModel<"svm"> {
  constructor(inputDim: number, options: SvmOptions) {
    super(
      {
        kind: "svm",
        defaultLambda: SVM_DEFAULT_LAMBDA,
        checkTargets: checkSignTargets,
        objective: (model, batch) => new SvmObjective(model, batch),
      },
      inputDim,
      options,
    );
  }
}
