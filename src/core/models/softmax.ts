import type { Batch } from "../data/batch.js";
import type { Rng } from "../data/rng.js";
import type { KernelMatrix, Kernels } from "../linalg/kernels.js";
import { withMatrix } from "./bound-matrix.js";
import { BoundObjective } from "./bound-objective.js";
import { evaluateOnce } from "./evaluate-once.js";
import { nanLoss } from "./finite-weights.js";
import {
  checkBatch,
  checkClassTargets,
  checkIntegerOption,
  checkLambda,
  checkWeights,
  trivialPrediction,
} from "./input-checks.js";
import type { Evaluation, Model, Objective } from "./model.js";
import { addL2Gradient, l2Penalty } from "./regularizer.js";
import { argmaxRows, softmaxCrossEntropy, softmaxEvaluation } from "./softmax-cross-entropy.js";
import { transpose } from "./transpose.js";

/**
 * Multinomial (softmax) regression over `classes` classes, targets class indices:
 *
 *     F(W) = lambda/2 |W|^2 + 1/n sum_j [ logsumexp(W x_j) - (W x_j)[y_j] ]
 *
 * Weights are `classes` x `inputDim`, row-major (row c is class c's template, e.g. a 28 x 28
 * image for MNIST). No bias term (append a constant-1 feature for one); lambda defaults to 0.
 * Both heavy products (X W^T and X^T G) run through the kernels.
 */

export const SOFTMAX_DEFAULT_CLASSES = 10;
export const SOFTMAX_DEFAULT_LAMBDA = 0;

export interface SoftmaxOptions {
  readonly kernels: Kernels;
  /** Number of classes, >= 2; default 10. */
  readonly classes?: number;
  /** L2 weight, >= 0; default 0. */
  readonly lambda?: number;
}

class SoftmaxObjective extends BoundObjective {
  /** X W^T from the last pass, rows x classes. */
  private readonly logits: Float64Array;
  private readonly dLogits: Float64Array;
  /** W^T and the gradient's transpose, inputDim x classes (the kernels' layout). */
  private readonly weightsT: Float64Array;
  private readonly gradT: Float64Array;

  constructor(
    private readonly model: SoftmaxModel,
    batch: Batch,
  ) {
    super(model.kernels, batch, model.size);
    const { classes, inputDim } = model;
    this.logits = new Float64Array(batch.rows * classes);
    this.dLogits = new Float64Array(batch.rows * classes);
    this.weightsT = new Float64Array(inputDim * classes);
    this.gradT = new Float64Array(inputDim * classes);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const { classes, inputDim, lambda, kernels } = this.model;
    const m = this.gradientMatrix("compute the softmax gradient", w, grad);
    if (m === undefined) return nanLoss(grad);
    this.computeLogits(m, w);
    const loss = softmaxCrossEntropy(this.logits, this.y, this.rows, classes, this.dLogits);
    kernels.matTMul(m, this.dLogits, classes, this.gradT);
    transpose(this.gradT, inputDim, classes, grad);
    addL2Gradient(grad, w, lambda);
    return loss + l2Penalty(w, lambda);
  }

  loss(w: Float64Array): number {
    const m = this.valueMatrix("compute the softmax loss", w);
    if (m === undefined) return nanLoss();
    this.computeLogits(m, w);
    const { classes, lambda } = this.model;
    return softmaxCrossEntropy(this.logits, this.y, this.rows, classes) + l2Penalty(w, lambda);
  }

  /** Loss and the share of rows whose most likely class is the target, from one pass over X. */
  evaluate(w: Float64Array): Evaluation {
    const m = this.valueMatrix("evaluate softmax", w);
    if (m === undefined) return { loss: nanLoss(), accuracy: 0 };
    this.computeLogits(m, w);
    const { classes, lambda } = this.model;
    const { loss, accuracy } = softmaxEvaluation(this.logits, this.y, this.rows, classes);
    return { loss: loss + l2Penalty(w, lambda), accuracy };
  }

  /** Fills `logits` with X W^T (weights already checked). */
  private computeLogits(m: KernelMatrix, w: Float64Array): void {
    const { classes, inputDim, kernels } = this.model;
    transpose(w, classes, inputDim, this.weightsT);
    kernels.matMul(m, this.weightsT, classes, this.logits);
  }
}

export class SoftmaxModel implements Model {
  readonly kind = "softmax" as const;
  readonly size: number;
  readonly classes: number;
  readonly lambda: number;
  readonly kernels: Kernels;

  constructor(
    readonly inputDim: number,
    options: SoftmaxOptions,
  ) {
    checkIntegerOption("softmax", "inputDim", inputDim, 1);
    this.classes = options.classes ?? SOFTMAX_DEFAULT_CLASSES;
    checkIntegerOption("softmax", "classes", this.classes, 2);
    this.lambda = options.lambda ?? SOFTMAX_DEFAULT_LAMBDA;
    checkLambda("softmax", this.lambda);
    this.size = this.classes * inputDim;
    this.kernels = options.kernels;
  }

  /** Zeros (every class equally likely): the loss is convex. */
  initialWeights(_rng?: Rng, _data?: Batch): Float64Array {
    return new Float64Array(this.size);
  }

  bind(batch: Batch): Objective {
    return this.bindSoftmax(batch, "bind softmax");
  }

  /** The most likely class per row (NaN where the weights are not finite). */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    const trivial = trivialPrediction("predict with softmax", this, w, x, rows);
    if (trivial !== undefined) return trivial;
    const weightsT = new Float64Array(this.size);
    transpose(w, this.classes, this.inputDim, weightsT);
    const logits = new Float64Array(rows * this.classes);
    withMatrix(this.kernels, x, rows, this.inputDim, (m) =>
      this.kernels.matMul(m, weightsT, this.classes, logits),
    );
    return argmaxRows(logits, rows, this.classes);
  }

  /** Loss and the share of rows whose most likely class is the target. */
  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights("evaluate softmax", this.size, w);
    return evaluateOnce(this.bindSoftmax(batch, "evaluate softmax"), w);
  }

  private bindSoftmax(batch: Batch, action: string): SoftmaxObjective {
    checkBatch(action, this.inputDim, batch);
    checkClassTargets(action, batch.y, this.classes);
    return new SoftmaxObjective(this, batch);
  }
}
