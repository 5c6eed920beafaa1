import { describe, expect, it } from "vitest";
import { MNIST_PIXELS, mnistDataset, mnistSplitIndices, splitMnistBytes } from "./mnist.js";
import { Rng } from "./rng.js";

const rng = new Rng(3);
const n = 50;
const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
const pixels = Uint8Array.from({ length: n * MNIST_PIXELS }, () => rng.int(256));

describe("embedded MNIST (pure part)", () => {
  it("makes 28 x 28 float32 features byte/255 and labels 0..9", () => {
    const ds = mnistDataset(labels, pixels);
    expect(ds).toMatchObject({
      name: "mnist",
      rows: n,
      dim: 784,
      classes: 10,
      imageShape: [28, 28],
    });
    expect(ds.features[1000]).toBe(Math.fround(pixels[1000] / 255));
    expect(Array.from(ds.features, (v) => Math.round(v * 255))).toEqual(Array.from(pixels));
    expect(Array.from(ds.labels)).toEqual(Array.from(labels));
  });

  it("splits 4:1 by the fixed seed, deterministically, each digit in exactly one part", () => {
    const { train, test } = mnistSplitIndices(10_000);
    expect([train.length, test.length]).toEqual([8_000, 2_000]);
    expect(Array.from(mnistSplitIndices(10_000).test)).toEqual(Array.from(test));
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i),
    );
  });

  it("splits bytes into data sets holding exactly the chosen digits", () => {
    const split = splitMnistBytes(labels, pixels);
    const { train, test } = mnistSplitIndices(n);
    expect([split.train.rows, split.test.rows]).toEqual([40, 10]);
    expect(split.train.name).toBe("mnist (train)");
    const whole = mnistDataset(labels, pixels);
    test.forEach((i, k) => {
      expect(split.test.labels[k]).toBe(labels[i]);
      expect(split.test.features.subarray(k * 784, (k + 1) * 784)).toEqual(
        whole.features.subarray(i * 784, (i + 1) * 784),
      );
    });
    expect(split.train.labels[7]).toBe(labels[train[7]]);
  });

  it("rejects mismatched lengths and labels above 9", () => {
    expect(() => mnistDataset(labels, pixels.subarray(1))).toThrow(
      `Cannot build MNIST data set "mnist": 50 labels need 39200 pixel bytes, got 39199`,
    );
    expect(() => splitMnistBytes(Uint8Array.from([1, 10]), new Uint8Array(2 * 784))).toThrow(
      'Cannot build MNIST data set "mnist": digit 1 has label 10, expected 0..9',
    );
  });
});
