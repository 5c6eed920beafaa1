import type { DatasetSplit } from "../core/data/dataset.js";
import { Rng } from "../core/data/rng.js";
import { type TaskKind, toBatch } from "../core/data/task.js";
import type { Kernels } from "../core/linalg/kernels.js";
import { createModel, type ModelSpec } from "../core/models/create-model.js";
import type { Evaluation, Model, Objective } from "../core/models/model.js";

/**
 * The aggregator's copy of the model: it never trains, it sizes the weights, starts them, and
 * evaluates the global model on the test set every round. The test batch is bound once (copied
 * into the kernel layout once) and evaluated at each round's weights.
 */
export class GlobalModel {
  readonly model: Model;
  private readonly test: Objective;
  private readonly split: DatasetSplit;
  private readonly task: TaskKind;
  private train: Objective | undefined;

  constructor(spec: ModelSpec, split: DatasetSplit, task: TaskKind, kernels: Kernels) {
    if (split.test.rows === 0) {
      throw new Error(`Data set "${split.test.name}" has no test rows to evaluate the model on`);
    }
    this.split = split;
    this.task = task;
    this.model = createModel(spec, split.train.dim, kernels);
    this.test = this.model.bind(toBatch(split.test, task));
  }

  get size(): number {
    return this.model.size;
  }

  /** The weights a run starts from (seeded, as the simulator's). */
  initialWeights(seed: number): Float64Array {
    return this.model.initialWeights(new Rng(seed), toBatch(this.split.train, this.task));
  }

  /** The model at `w` on the test set. */
  evaluate(w: Float64Array): Evaluation {
    return this.test.evaluate(w);
  }

  /** The loss at `w` on the whole training set (bound on first use, then kept). */
  trainLoss(w: Float64Array): number {
    this.train ??= this.model.bind(toBatch(this.split.train, this.task));
    return this.train.loss(w);
  }

  dispose(): void {
    this.test.dispose();
    this.train?.dispose();
  }
}
