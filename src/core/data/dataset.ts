/**
 * A data set in memory: `rows` samples of `dim` float32 features, row-major, and one label per
 * sample. Labels are kept as given (a digit class 0..9, or a regression value); a task turns them
 * into the targets a model trains on (see task.ts).
 */
export interface Dataset {
  /** Where it came from, for messages ("mnist", "idx:/data/fashion", "csv:my.csv"). */
  readonly name: string;
  readonly rows: number;
  readonly dim: number;
  /** rows * dim features, row-major. */
  readonly features: Float32Array;
  /** One label per row: a class index for classification data, a number for regression data. */
  readonly labels: Float64Array;
  /** Number of classes when labels are class indices 0..classes-1; undefined for regression. */
  readonly classes?: number;
  /** Image shape, when rows are images (for previews): [height, width]. */
  readonly imageShape?: readonly [number, number];
}

/** A train/test pair. */
export interface DatasetSplit {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** A subset of a data set's rows, in the given order (features copied, so it stands alone). */
export function selectRows(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const n = indices.length;
  const features = new Float32Array(n * ds.dim);
  const labels = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < ds.rows)) {
      throw new RangeError(`Cannot select row ${i} of "${ds.name}": it has ${ds.rows} rows`);
    }
    features.set(ds.features.subarray(i * ds.dim, (i + 1) * ds.dim), k * ds.dim);
    labels[k] = ds.labels[i];
  }
  return { ...ds, name, rows: n, features, labels };
}
