import type { Batch } from "../data/batch.js";
import type { Rng } from "../data/rng.js";
import type { Kernels } from "../linalg/kernels.js";
import { withMatrix } from "./bound-matrix.js";
import { evaluateOnce } from "./evaluate-once.js";
import {
  checkBatch,
  checkIntegerOption,
  checkLambda,
  checkWeights,
  trivialPrediction,
} from "./input-checks.js";
import type { Evaluation, Model, ModelKind, Objective } from "./model.js";

/** The options of every linear model. */
export interface LinearModelOptions {
  readonly kernels: Kernels;
  /** L2 weight, >= 0; each model has its default. */
  readonly lambda?: number;
}

/** What makes one linear model differ from another. */
export interface LinearModelSpec<K extends ModelKind> {
  readonly kind: K;
  readonly defaultLambda: number;
  /** Throws unless the targets suit the model ("Cannot <action>: ..."). */
  readonly checkTargets: (action: string, y: Float64Array) => void;
  /** The objective on a batch already checked. */
  readonly objective: (model: LinearModel<K>, batch: Batch) => Objective;
}

/**
 * What the linear models (smooth SVM, logistic, linear regression) share: one weight per
 * feature and no bias term (append a constant-1 feature for one), zeros to start (their losses
 * are convex: no symmetry to break), the score <w, x> as the prediction, and the same checks.
 * Each brings its objective and the targets it accepts (LinearModelSpec).
 */
export class LinearModel<K extends ModelKind> implements Model {
  readonly kind: K;
  readonly size: number;
  readonly lambda: number;
  readonly kernels: Kernels;
  private readonly spec: LinearModelSpec<K>;

  protected constructor(
    spec: LinearModelSpec<K>,
    readonly inputDim: number,
    options: LinearModelOptions,
  ) {
    const kind = spec.kind;
    checkIntegerOption(kind, "inputDim", inputDim, 1);
    this.kind = kind;
    this.spec = spec;
    this.lambda = options.lambda ?? spec.defaultLambda;
    checkLambda(kind, this.lambda);
    this.size = inputDim;
    this.kernels = options.kernels;
  }

  /** Zeros: the loss is convex. */
  initialWeights(_rng?: Rng, _data?: Batch): Float64Array {
    return new Float64Array(this.size);
  }

  bind(batch: Batch): Objective {
    return this.checkedObjective(batch, `bind ${this.kind}`);
  }

  /**
   * The score <w, x> per row: the predicted value (regression), or a label's sign and the
   * confidence in it (the classifiers).
   */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    const trivial = trivialPrediction(`predict with ${this.kind}`, this, w, x, rows);
    if (trivial !== undefined) return trivial;
    const scores = new Float64Array(rows);
    withMatrix(this.kernels, x, rows, this.inputDim, (m) => this.kernels.matVec(m, w, scores));
    return scores;
  }

  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights(`evaluate ${this.kind}`, this.size, w);
    return evaluateOnce(this.checkedObjective(batch, `evaluate ${this.kind}`), w);
  }

  private checkedObjective(batch: Batch, action: string): Objective {
    checkBatch(action, this.inputDim, batch);
    this.spec.checkTargets(action, batch.y);
    return this.spec.objective(this, batch);
  }
}
