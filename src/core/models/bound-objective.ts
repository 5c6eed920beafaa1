import type { Batch } from "../data/batch.js";
import type { KernelMatrix, Kernels } from "../linalg/kernels.js";
import { BoundMatrix } from "./bound-matrix.js";
import { allFinite } from "./finite-weights.js";
import { checkGradientBuffer, checkWeights } from "./input-checks.js";
import type { Evaluation, Objective } from "./model.js";

/**
 * What every objective holds and checks: the batch's rows, a copy of its targets, its features
 * bound once to the kernels, and the checks each call starts with. Subclasses write the math.
 */
export abstract class BoundObjective implements Objective {
  readonly rows: number;
  /** The targets, copied: the caller may reuse its batch. */
  protected readonly y: Float64Array;
  private readonly data: BoundMatrix;

  constructor(
    kernels: Kernels,
    batch: Batch,
    /** Number of weights. */
    private readonly size: number,
  ) {
    this.rows = batch.rows;
    this.y = batch.y.slice();
    this.data = new BoundMatrix(kernels, batch.x, batch.rows, batch.dim);
  }

  abstract lossAndGradient(w: Float64Array, grad: Float64Array): number;
  abstract loss(w: Float64Array): number;
  abstract evaluate(w: Float64Array): Evaluation;

  dispose(): void {
    this.data.dispose();
  }

  /**
   * The start of a gradient call: checks `w` and `grad` ("Cannot <action>: ..."), then the bound
   * matrix, or undefined when a weight is NaN or infinite (the caller answers nanLoss(grad)).
   */
  protected gradientMatrix(
    action: string,
    w: Float64Array,
    grad: Float64Array,
  ): KernelMatrix | undefined {
    checkWeights(action, this.size, w);
    checkGradientBuffer(action, this.size, grad);
    const m = this.data.get(action);
    return allFinite(w) ? m : undefined;
  }

  /** The start of a loss or an evaluation: as gradientMatrix, without a gradient. */
  protected valueMatrix(action: string, w: Float64Array): KernelMatrix | undefined {
    checkWeights(action, this.size, w);
    const m = this.data.get(action);
    return allFinite(w) ? m : undefined;
  }
}
