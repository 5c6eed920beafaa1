import { type Dataset, selectRows } from "../core/data/dataset.js";
import { unitFloatsToBytes } from "../core/data/pixel-scale.js";
import { type TaskKind, taskTargets } from "../core/data/task.js";
import type { Model } from "../core/models/model.js";

/** Test rows whose predictions the aggregator reports every round by default (`watchSample`). */
export const DEFAULT_WATCH_SAMPLE = 60;

/** One test sample as a person sees it: its grey image (when the data are images) and its class. */
export interface SampleItem {
  /** height x width grey levels, row-major (0 = background); null when the data are not images. */
  readonly image: Uint8Array | null;
  /** The true answer as a name: "even" / "odd", a digit "7", or a value. */
  readonly truth: string;
}

/**
 * A fixed handful of test rows, spread over the test set, on which the aggregator reports the
 * global model's verdict every round (the dashboard's test grid): a few dozen predictions, cheap
 * beside the evaluation of the whole test set. The rows are copied once.
 */
export class TestSample {
  readonly items: readonly SampleItem[];
  private readonly x: Float32Array;
  private readonly task: TaskKind;

  constructor(test: Dataset, task: TaskKind, count: number) {
    const n = Math.min(Math.max(0, Math.floor(count)), test.rows);
    const stride = n === 0 ? 1 : Math.floor(test.rows / n);
    const rows = Array.from({ length: n }, (_, k) => k * stride);
    const sample = selectRows(test, rows);
    const targets = taskTargets(sample, task);
    const [h, w] = test.imageShape ?? [0, 0];
    const isImage = h > 0 && h * w === test.dim;
    this.task = task;
    this.x = sample.features;
    this.items = rows.map((_, k) => ({
      image: isImage
        ? unitFloatsToBytes(sample.features.subarray(k * test.dim, (k + 1) * test.dim))
        : null,
      truth: nameOf(task, targets[k]),
    }));
  }

  get size(): number {
    return this.items.length;
  }

  /** The model's answer at `w` on each sample, named like the truths ("even" / "odd"...). */
  verdicts(model: Model, w: Float64Array): string[] {
    if (this.items.length === 0) return [];
    const predictions = model.predict(w, this.x, this.items.length);
    return Array.from(predictions, (p) => nameOf(this.task, p));
  }
}

/** A target or prediction as a name: binary scores by their sign, classes and values as numbers. */
function nameOf(task: TaskKind, value: number): string {
  if (!Number.isFinite(value)) return "?";
  switch (task) {
    case "even-odd":
      return value >= 0 ? "even" : "odd";
    case "digits":
      return String(Math.round(value));
    case "value":
      return value.toPrecision(3);
  }
}
