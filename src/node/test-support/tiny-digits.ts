import type { Dataset, DatasetSplit } from "../../core/data/dataset.js";
import { Rng } from "../../core/data/rng.js";

/**
 * A small labelled image data set for node tests: 4 x 4 "digits" 0..9 whose pixels lean on the
 * label (so an even/odd SVM learns something), seeded.
 */
export function tinyDigits(rows = 300, seed = 5, name = "tiny"): DatasetSplit {
  const make = (n: number, rng: Rng, suffix: string): Dataset => {
    const dim = 16;
    const features = new Float32Array(n * dim);
    const labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const label = rng.int(10);
      labels[i] = label;
      for (let k = 0; k < dim; k++) {
        const lean = (label % 2 === 0 ? 0.6 : 0.2) * (k % 2 === 0 ? 1 : 0.5);
        features[i * dim + k] = Math.min(1, Math.max(0, lean + 0.3 * rng.next()));
      }
    }
    return {
      name: `${name}${suffix}`,
      rows: n,
      dim,
      features,
      labels,
      classes: 10,
      imageShape: [4, 4],
    };
  };
  const rng = new Rng(seed);
  return { train: make(rows, rng, ""), test: make(Math.ceil(rows / 4), rng, " test") };
}
