import type { DatasetSplit } from "../core/data/dataset.js";
import type { Kernels } from "../core/linalg/kernels.js";
import { getKernels } from "../core/linalg/select-kernels.js";
import { loadDataset } from "../datasets/load-dataset.js";
import { GlobalModel } from "./global-model.js";
import type { LearningSetup } from "./learning-setup.js";
import { TestSample } from "./test-sample.js";

export interface ModelCacheOptions {
  /** The setup the aggregator starts with: its data set is loaded (or given) once. */
  readonly setup: LearningSetup;
  /** That data set, already loaded (else loaded by its spec). */
  readonly data?: DatasetSplit;
  /** Default: the fastest available (WebAssembly SIMD). */
  readonly kernels?: Kernels;
  /** Test rows whose verdicts each round event carries (0: none). */
  readonly watchSample?: number;
}

/**
 * The aggregator's models and test samples, one per setup that needs its own (model, data set,
 * task), made once and kept: runs that switch back and forth (variants, the dashboard's case or
 * tau) reuse them. Disposed when the aggregator stops.
 */
export class ModelCache {
  private readonly models = new Map<string, GlobalModel>();
  private readonly samples = new Map<string, TestSample>();

  private constructor(
    private readonly options: ModelCacheOptions,
    private readonly data: DatasetSplit,
    private readonly kernels: Kernels,
    first: GlobalModel,
  ) {
    this.models.set(modelKey(options.setup), first);
  }

  /**
   * Loads the data set and makes the first setup's model; rejects (with a sentence) when the data
   * set cannot be loaded.
   */
  static async open(options: ModelCacheOptions): Promise<ModelCache> {
    const { setup } = options;
    const data = options.data ?? (await loadDataset(setup.dataset));
    const kernels = options.kernels ?? getKernels("auto");
    const first = new GlobalModel(setup.model, data, setup.task, kernels);
    return new ModelCache(options, data, kernels, first);
  }

  /** The model of a setup (its data set loaded when it is not the first one's). */
  async modelOf(setup: LearningSetup): Promise<GlobalModel> {
    const key = modelKey(setup);
    let m = this.models.get(key);
    if (m === undefined) {
      const data =
        setup.dataset === this.options.setup.dataset ? this.data : await loadDataset(setup.dataset);
      m = new GlobalModel(setup.model, data, setup.task, this.kernels);
      this.models.set(key, m);
    }
    return m;
  }

  /** The test sample whose verdicts the round events carry (`watchSample`), for this setup. */
  sampleOf(setup: LearningSetup): TestSample | undefined {
    const count = this.options.watchSample ?? 0;
    if (count <= 0 || setup.dataset !== this.options.setup.dataset) return undefined;
    const key = JSON.stringify([setup.dataset, setup.task]);
    let sample = this.samples.get(key);
    if (sample === undefined) {
      sample = new TestSample(this.data.test, setup.task, count);
      this.samples.set(key, sample);
    }
    return sample;
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }
}

function modelKey(s: LearningSetup): string {
  return JSON.stringify([s.model, s.dataset, s.task]);
}
