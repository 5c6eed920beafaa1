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
  checkWeights,
  trivialPrediction,
} from "./input-checks.js";
import type { Evaluation, Model, Objective } from "./model.js";
import { argmaxRows, softmaxCrossEntropy, softmaxEvaluation } from "./softmax-cross-entropy.js";

/**
 * A one-hidden-layer perceptron: x -> act(x W1 + b1) -> softmax(h W2 + b2) over `classes`,
 * trained on mean cross-entropy against class-index targets. Not convex, so it starts from a
 * seeded Glorot-uniform draw rather than zeros.
 *
 * Weights, in this order: W1 (inputDim x hidden, row-major), b1 (hidden), W2 (hidden x classes,
 * row-major), b2 (classes). W1 is stored input-major because that is the kernels' matMul layout,
 * so the first layer (the heavy one: rows x inputDim x hidden) runs through the kernels without a
 * transpose. The second layer (rows x hidden x classes, on computed float64 activations) is a
 * plain loop: small, and a kernel matrix would copy and round it each step.
 */

export const MLP_DEFAULT_HIDDEN = 64;
export const MLP_DEFAULT_CLASSES = 10;

export type Activation = "tanh" | "relu";

export interface MlpOptions {
  readonly kernels: Kernels;
  /** Hidden units, >= 1; default 64. */
  readonly hidden?: number;
  /** Output classes, >= 2; default 10. */
  readonly classes?: number;
  /** Hidden activation; default "tanh". */
  readonly activation?: Activation;
}

/** Where each parameter block starts in the weight vector. */
interface Layout {
  readonly w1: number;
  readonly b1: number;
  readonly w2: number;
  readonly b2: number;
  readonly size: number;
}

/** Forward-pass buffers for `rows` rows, reused across steps. */
class Activations {
  /** Pre-activations x W1 + b1, rows x hidden (the ReLU derivative needs them). */
  readonly z1: Float64Array;
  readonly h: Float64Array;
  readonly logits: Float64Array;

  constructor(
    private readonly model: MlpModel,
    readonly rows: number,
  ) {
    this.z1 = new Float64Array(rows * model.hidden);
    this.h = new Float64Array(rows * model.hidden);
    this.logits = new Float64Array(rows * model.classes);
  }

  forward(m: KernelMatrix, w: Float64Array): void {
    const { hidden, classes, layout, kernels, activation } = this.model;
    const { z1, h, logits, rows } = this;
    kernels.matMul(m, w.subarray(layout.w1, layout.b1), hidden, z1);
    for (let j = 0; j < rows; j++) {
      for (let u = 0; u < hidden; u++) {
        const z = z1[j * hidden + u] + w[layout.b1 + u];
        z1[j * hidden + u] = z;
        // Math.max keeps a NaN (`z > 0 ? z : 0` would turn it into 0).
        h[j * hidden + u] = activation === "tanh" ? Math.tanh(z) : Math.max(z, 0);
      }
    }
    for (let j = 0; j < rows; j++) {
      for (let c = 0; c < classes; c++) {
        let s = w[layout.b2 + c];
        for (let u = 0; u < hidden; u++) s += h[j * hidden + u] * w[layout.w2 + u * classes + c];
        logits[j * classes + c] = s;
      }
    }
  }
}

class MlpObjective extends BoundObjective {
  private readonly activations: Activations;
  private readonly dLogits: Float64Array;
  private readonly dz1: Float64Array;

  constructor(
    private readonly model: MlpModel,
    batch: Batch,
  ) {
    super(model.kernels, batch, model.size);
    this.activations = new Activations(model, batch.rows);
    this.dLogits = new Float64Array(batch.rows * model.classes);
    this.dz1 = new Float64Array(batch.rows * model.hidden);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const { hidden, classes, layout, kernels, activation } = this.model;
    const m = this.gradientMatrix("compute the mlp gradient", w, grad);
    if (m === undefined) return nanLoss(grad);
    const { z1, h, logits } = this.activations;
    const { rows, dLogits, dz1 } = this;
    this.activations.forward(m, w);
    const loss = softmaxCrossEntropy(logits, this.y, rows, classes, dLogits);

    // Output layer: gW2 = H^T dLogits, gb2 = column sums of dLogits.
    grad.fill(0, layout.b1);
    for (let j = 0; j < rows; j++) {
      for (let c = 0; c < classes; c++) {
        const d = dLogits[j * classes + c];
        grad[layout.b2 + c] += d;
        for (let u = 0; u < hidden; u++) grad[layout.w2 + u * classes + c] += h[j * hidden + u] * d;
      }
    }
    // Back through the hidden layer: dz1 = (dLogits W2^T) * act'(z1), gb1 = column sums.
    for (let j = 0; j < rows; j++) {
      for (let u = 0; u < hidden; u++) {
        let s = 0;
        for (let c = 0; c < classes; c++) {
          s += dLogits[j * classes + c] * w[layout.w2 + u * classes + c];
        }
        const at = j * hidden + u;
        const slope = activation === "tanh" ? 1 - h[at] * h[at] : z1[at] > 0 ? 1 : 0;
        dz1[at] = s * slope;
        grad[layout.b1 + u] += dz1[at];
      }
    }
    // Input layer, the heavy product: gW1 = X^T dz1 (inputDim x hidden).
    kernels.matTMul(m, dz1, hidden, grad.subarray(layout.w1, layout.b1));
    return loss;
  }

  loss(w: Float64Array): number {
    const m = this.valueMatrix("compute the mlp loss", w);
    if (m === undefined) return nanLoss();
    this.activations.forward(m, w);
    return softmaxCrossEntropy(this.activations.logits, this.y, this.rows, this.model.classes);
  }

  /** Loss (the MLP has no regulariser) and the share of rows whose most likely class is the target. */
  evaluate(w: Float64Array): Evaluation {
    const m = this.valueMatrix("evaluate mlp", w);
    if (m === undefined) return { loss: nanLoss(), accuracy: 0 };
    this.activations.forward(m, w);
    return softmaxEvaluation(this.activations.logits, this.y, this.rows, this.model.classes);
  }
}

export class MlpModel implements Model {
  readonly kind = "mlp" as const;
  readonly size: number;
  readonly hidden: number;
  readonly classes: number;
  readonly activation: Activation;
  readonly layout: Layout;
  readonly kernels: Kernels;

  constructor(
    readonly inputDim: number,
    options: MlpOptions,
  ) {
    checkIntegerOption("mlp", "inputDim", inputDim, 1);
    this.hidden = options.hidden ?? MLP_DEFAULT_HIDDEN;
    checkIntegerOption("mlp", "hidden", this.hidden, 1);
    this.classes = options.classes ?? MLP_DEFAULT_CLASSES;
    checkIntegerOption("mlp", "classes", this.classes, 2);
    this.activation = options.activation ?? "tanh";
    if (this.activation !== "tanh" && this.activation !== "relu") {
      throw new RangeError(
        `Cannot create mlp: activation must be "tanh" or "relu", got "${this.activation}"`,
      );
    }
    const w1 = 0;
    const b1 = w1 + inputDim * this.hidden;
    const w2 = b1 + this.hidden;
    const b2 = w2 + this.hidden * this.classes;
    this.layout = { w1, b1, w2, b2, size: b2 + this.classes };
    this.size = this.layout.size;
    this.kernels = options.kernels;
  }

  /**
   * Glorot-uniform weights, U(-a, a) with a = sqrt(6 / (fan in + fan out)) per layer, drawn from
   * `rng` (so a seed fixes them); zero biases. Zeros would leave every hidden unit identical.
   */
  initialWeights(rng: Rng, _data?: Batch): Float64Array {
    const w = new Float64Array(this.size);
    const { w1, b1, w2, b2 } = this.layout;
    const fill = (from: number, to: number, fanIn: number, fanOut: number): void => {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = from; i < to; i++) w[i] = a * (2 * rng.next() - 1);
    };
    fill(w1, b1, this.inputDim, this.hidden);
    fill(w2, b2, this.hidden, this.classes);
    return w;
  }

  bind(batch: Batch): Objective {
    return this.bindMlp(batch, "bind mlp");
  }

  /** The most likely class per row (NaN where the weights are not finite). */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    const trivial = trivialPrediction("predict with mlp", this, w, x, rows);
    if (trivial !== undefined) return trivial;
    const activations = new Activations(this, rows);
    withMatrix(this.kernels, x, rows, this.inputDim, (m) => activations.forward(m, w));
    return argmaxRows(activations.logits, rows, this.classes);
  }

  /** Loss and the share of rows whose most likely class is the target. */
  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights("evaluate mlp", this.size, w);
    return evaluateOnce(this.bindMlp(batch, "evaluate mlp"), w);
  }

  private bindMlp(batch: Batch, action: string): MlpObjective {
    checkBatch(action, this.inputDim, batch);
    checkClassTargets(action, batch.y, this.classes);
    return new MlpObjective(this, batch);
  }
}
