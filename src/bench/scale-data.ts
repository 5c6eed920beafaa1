import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "../core/data/dataset.js";
import { encodeIdx } from "../core/data/idx-encode.js";
import { loadDataset } from "../datasets/load-dataset.js";

/** Rows of the scale bench's test set (the aggregator evaluates the model on it every round). */
export const SCALE_TEST_ROWS = 500;

/**
 * Writes an IDX directory (MNIST layout) with `trainRows` training images, the embedded MNIST's
 * training digits repeated as often as needed, and its first SCALE_TEST_ROWS test digits: data
 * for `nodes` x `samplesPerNode` that every node process loads locally as "idx:DIR".
 */
export async function writeScaleDataset(dir: string, trainRows: number): Promise<void> {
  const mnist = await loadDataset("mnist");
  mkdirSync(dir, { recursive: true });
  const write = (role: string, data: Dataset, rows: number) => {
    const side = 28;
    const pixels = new Uint8Array(rows * data.dim);
    const labels = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const from = i % data.rows;
      labels[i] = data.labels[from];
      for (let k = 0; k < data.dim; k++) {
        pixels[i * data.dim + k] = Math.round(data.features[from * data.dim + k] * 255);
      }
    }
    writeFileSync(join(dir, `${role}-images-idx3-ubyte`), encodeIdx([rows, side, side], pixels));
    writeFileSync(join(dir, `${role}-labels-idx1-ubyte`), encodeIdx([rows], labels));
  };
  write("train", mnist.train, trainRows);
  write("t10k", mnist.test, Math.min(SCALE_TEST_ROWS, mnist.test.rows));
}
