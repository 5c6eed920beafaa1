import type { Batch } from "../data/batch.js";
import type { Rng } from "../data/rng.js";
import type { KernelMatrix, Kernels } from "../linalg/kernels.js";
import { withMatrix } from "./bound-matrix.js";
import { BoundObjective } from "./bound-objective.js";
import { evaluateOnce } from "./evaluate-once.js";
import { nanLoss } from "./finite-weights.js";
import { checkBatch, checkIntegerOption, checkWeights, trivialPrediction } from "./input-checks.js";
import type { Evaluation, Model, Objective } from "./model.js";
import { transpose } from "./transpose.js";

/**
 * K-means as the paper trains it, by gradient descent on the centres. Weights are `k` centres of
 * `inputDim` values, row-major. The loss is the mean squared distance to the nearest centre,
 *
 *     F(C) = 1/n sum_j min_c |x_j - C_c|^2,   dF/dC_c = 2/n sum_{j nearest to c} (C_c - x_j)
 *
 * (ties go to the lowest-numbered centre; a centre nearest to no row gets a zero gradient).
 * Distances are expanded as |x|^2 - 2 <x, C_c> + |C_c|^2, so X C^T and X^T A (A the one-hot
 * assignment) are the two kernel products. Targets are ignored.
 */

export const KMEANS_DEFAULT_K = 10;

/** How the first centres are drawn from the data rows. */
export type KmeansInit = "kmeans++" | "random-rows";

export interface KmeansOptions {
  readonly kernels: Kernels;
  /** Number of centres, >= 1; default 10. */
  readonly k?: number;
  /** Default "kmeans++" (Arthur and Vassilvitskii, 2007). */
  readonly init?: KmeansInit;
}

/** Nearest centres of the rows of one bound matrix, with the scratch the passes reuse. */
class Assignment {
  /** X C^T, rows x k. */
  readonly cross: Float64Array;
  /** Index of each row's nearest centre, and the squared distance to it. */
  readonly nearest: Int32Array;
  readonly distance: Float64Array;
  private readonly centresT: Float64Array;
  private readonly centreNorms: Float64Array;

  constructor(
    private readonly model: KmeansModel,
    /** |x_j|^2 per row. */
    private readonly rowNorms: Float64Array,
  ) {
    const rows = rowNorms.length;
    this.cross = new Float64Array(rows * model.k);
    this.nearest = new Int32Array(rows);
    this.distance = new Float64Array(rows);
    this.centresT = new Float64Array(model.size);
    this.centreNorms = new Float64Array(model.k);
  }

  /** Assigns every row to its nearest centre and returns the mean squared distance. */
  assign(m: KernelMatrix, w: Float64Array): number {
    const { k, inputDim, kernels } = this.model;
    transpose(w, k, inputDim, this.centresT);
    kernels.matMul(m, this.centresT, k, this.cross);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < inputDim; i++) s += w[c * inputDim + i] ** 2;
      this.centreNorms[c] = s;
    }
    const rows = this.rowNorms.length;
    let total = 0;
    for (let j = 0; j < rows; j++) {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        // The expansion can dip just below 0 by rounding when x_j sits on a centre.
        const d = Math.max(0, this.rowNorms[j] - 2 * this.cross[j * k + c] + this.centreNorms[c]);
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      this.nearest[j] = best;
      this.distance[j] = bestDistance;
      total += bestDistance;
    }
    return total / rows;
  }
}

function rowSquaredNorms(x: Float32Array, rows: number, dim: number): Float64Array {
  const norms = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    let s = 0;
    for (let i = j * dim; i < (j + 1) * dim; i++) s += x[i] * x[i];
    norms[j] = s;
  }
  return norms;
}

class KmeansObjective extends BoundObjective {
  private readonly assignment: Assignment;
  private readonly oneHot: Float64Array;
  private readonly sumsT: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    private readonly model: KmeansModel,
    batch: Batch,
  ) {
    super(model.kernels, batch, model.size);
    this.assignment = new Assignment(model, rowSquaredNorms(batch.x, batch.rows, batch.dim));
    this.oneHot = new Float64Array(batch.rows * model.k);
    this.sumsT = new Float64Array(model.size);
    this.counts = new Float64Array(model.k);
  }

  lossAndGradient(w: Float64Array, grad: Float64Array): number {
    const { k, inputDim, kernels } = this.model;
    const m = this.gradientMatrix("compute the kmeans gradient", w, grad);
    if (m === undefined) return nanLoss(grad);
    const loss = this.assignment.assign(m, w);
    // Per-centre sums of the member rows: X^T A, inputDim x k.
    this.oneHot.fill(0);
    this.counts.fill(0);
    for (let j = 0; j < this.rows; j++) {
      const c = this.assignment.nearest[j];
      this.oneHot[j * k + c] = 1;
      this.counts[c]++;
    }
    kernels.matTMul(m, this.oneHot, k, this.sumsT);
    const scale = 2 / this.rows;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < inputDim; i++) {
        const at = c * inputDim + i;
        grad[at] = scale * (this.counts[c] * w[at] - this.sumsT[i * k + c]);
      }
    }
    return loss;
  }

  loss(w: Float64Array): number {
    const m = this.valueMatrix("compute the kmeans loss", w);
    return m === undefined ? nanLoss() : this.assignment.assign(m, w);
  }

  /** The loss (mean squared distance to the nearest centre); K-means has no accuracy. */
  evaluate(w: Float64Array): Evaluation {
    const m = this.valueMatrix("evaluate kmeans", w);
    return { loss: m === undefined ? nanLoss() : this.assignment.assign(m, w) };
  }
}

export class KmeansModel implements Model {
  readonly kind = "kmeans" as const;
  readonly size: number;
  readonly k: number;
  readonly init: KmeansInit;
  readonly kernels: Kernels;

  constructor(
    readonly inputDim: number,
    options: KmeansOptions,
  ) {
    checkIntegerOption("kmeans", "inputDim", inputDim, 1);
    this.k = options.k ?? KMEANS_DEFAULT_K;
    checkIntegerOption("kmeans", "k", this.k, 1);
    this.init = options.init ?? "kmeans++";
    if (this.init !== "kmeans++" && this.init !== "random-rows") {
      throw new RangeError(
        `Cannot create kmeans: init must be "kmeans++" or "random-rows", got "${this.init}"`,
      );
    }
    this.size = this.k * inputDim;
    this.kernels = options.kernels;
  }

  /**
   * k distinct data rows as centres, drawn with `rng`: k-means++ (each next row with
   * probability proportional to its squared distance to the nearest chosen centre) or uniformly.
   * Plain float64 loops, not the kernels, so a seed gives the same centres on every backend.
   */
  initialWeights(rng: Rng, data?: Batch): Float64Array {
    const action = "initialise kmeans";
    if (data === undefined) {
      throw new RangeError(
        `Cannot ${action}: its ${this.k} centres are drawn from data rows, and no data was given`,
      );
    }
    checkBatch(action, this.inputDim, data, false);
    if (data.rows < this.k) {
      throw new RangeError(
        `Cannot ${action}: ${this.k} centres need at least ${this.k} data rows, got ${data.rows}`,
      );
    }
    const chosen =
      this.init === "kmeans++" ? this.kmeansPlusPlusRows(rng, data) : this.randomRows(rng, data);
    const w = new Float64Array(this.size);
    chosen.forEach((row, c) => {
      for (let i = 0; i < this.inputDim; i++) w[c * this.inputDim + i] = data.x[row * data.dim + i];
    });
    return w;
  }

  bind(batch: Batch): Objective {
    return this.bindKmeans(batch, "bind kmeans");
  }

  /** The index of the nearest centre per row (NaN where the weights are not finite). */
  predict(w: Float64Array, x: Float32Array, rows: number): Float64Array {
    const trivial = trivialPrediction("predict with kmeans", this, w, x, rows);
    if (trivial !== undefined) return trivial;
    const out = new Float64Array(rows);
    const assignment = new Assignment(this, rowSquaredNorms(x, rows, this.inputDim));
    withMatrix(this.kernels, x, rows, this.inputDim, (m) => assignment.assign(m, w));
    for (let j = 0; j < rows; j++) out[j] = assignment.nearest[j];
    return out;
  }

  /** The loss (mean squared distance to the nearest centre); K-means has no accuracy. */
  evaluate(w: Float64Array, batch: Batch): Evaluation {
    checkWeights("evaluate kmeans", this.size, w);
    return evaluateOnce(this.bindKmeans(batch, "evaluate kmeans"), w);
  }

  private bindKmeans(batch: Batch, action: string): KmeansObjective {
    checkBatch(action, this.inputDim, batch, false);
    return new KmeansObjective(this, batch);
  }

  private randomRows(rng: Rng, data: Batch): number[] {
    return Array.from(rng.permutation(data.rows).subarray(0, this.k));
  }

  private kmeansPlusPlusRows(rng: Rng, data: Batch): number[] {
    const { rows, dim, x } = data;
    const chosen = [rng.int(rows)];
    const taken = new Uint8Array(rows);
    taken[chosen[0]] = 1;
    const nearest = new Float64Array(rows).fill(Number.POSITIVE_INFINITY);
    while (chosen.length < this.k) {
      const centre = chosen[chosen.length - 1] * dim;
      let total = 0;
      for (let j = 0; j < rows; j++) {
        if (taken[j]) {
          nearest[j] = 0;
          continue;
        }
        let d = 0;
        for (let i = 0; i < dim; i++) d += (x[j * dim + i] - x[centre + i]) ** 2;
        if (d < nearest[j]) nearest[j] = d;
        total += nearest[j];
      }
      const next = total > 0 ? pickWeighted(nearest, total, rng) : pickUntaken(taken, rng);
      chosen.push(next);
      taken[next] = 1;
    }
    return chosen;
  }
}

/** A row with probability weight[j] / total (rows of weight 0 are never picked). */
function pickWeighted(weight: Float64Array, total: number, rng: Rng): number {
  let u = rng.next() * total;
  let last = -1;
  for (let j = 0; j < weight.length; j++) {
    if (weight[j] <= 0) continue;
    last = j;
    u -= weight[j];
    if (u < 0) return j;
  }
  return last; // rounding left u a hair above 0: the last eligible row
}

/** A uniformly drawn row not yet taken (every remaining row duplicates a chosen centre). */
function pickUntaken(taken: Uint8Array, rng: Rng): number {
  const free: number[] = [];
  for (let j = 0; j < taken.length; j++) if (!taken[j]) free.push(j);
  return free[rng.int(free.length)];
}
