import type { Dataset, DatasetSplit } from "../../core/data/dataset.js";
import { Rng } from "../../core/data/rng.js";

/**
 * A small seeded data set shaped like digits: labels 0..9, `dim` features in [0, 1] whose mean
 * depends on the label's parity, so an even/odd SVM learns it in a few rounds.
 */
export function syntheticSplit(trainRows = 300, testRows = 100, dim = 16, seed = 5): DatasetSplit {
  const rng = new Rng(seed);
  const make = (name: string, rows: number): Dataset => {
    const features = new Float32Array(rows * dim);
    const labels = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const label = rng.int(10);
      labels[i] = label;
      for (let k = 0; k < dim; k++) {
        const signal = (label % 2 === 0) === k < dim / 2 ? 0.7 : 0.3;
        features[i * dim + k] = Math.min(1, Math.max(0, signal + 0.25 * rng.normal()));
      }
    }
    return { name, rows, dim, features, labels, classes: 10 };
  };
  return { train: make("synthetic", trainRows), test: make("synthetic-test", testRows) };
}
