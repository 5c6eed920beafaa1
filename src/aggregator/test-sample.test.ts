import { describe, expect, it } from "vitest";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { createModel } from "../core/models/create-model.js";
import { TestSample } from "./test-sample.js";
import { syntheticSplit } from "./test-support/synthetic-split.js";

const { test } = syntheticSplit(100, 90, 16);

describe("TestSample", () => {
  it("spreads a fixed number of rows over the test set, with their truths", () => {
    const sample = new TestSample(test, "even-odd", 30);
    expect(sample.size).toBe(30);
    // Every third row: 0, 3, 6...
    sample.items.forEach((item, k) => {
      expect(item.truth).toBe(test.labels[3 * k] % 2 === 0 ? "even" : "odd");
      expect(item.image).toBeNull(); // 16 features without an image shape
    });
    expect(new TestSample(test, "digits", 500).size).toBe(90);
  });

  it("gives grey images of image data", () => {
    const images = { ...test, dim: 16, imageShape: [4, 4] as const };
    const sample = new TestSample(images, "digits", 2);
    expect(sample.items[0].image).toHaveLength(16);
    expect(sample.items[0].image?.[5]).toBe(Math.round(test.features[5] * 255));
    expect(sample.items[1].truth).toBe(String(test.labels[45]));
  });

  it("names the model's verdicts like the truths", () => {
    const model = createModel({ kind: "svm" }, 16, referenceKernels);
    const sample = new TestSample(test, "even-odd", 10);
    // Features are in [0, 1]: all-positive weights give positive scores, all-negative negative.
    const w = new Float64Array(model.size).fill(1);
    expect(sample.verdicts(model, w)).toEqual(Array(10).fill("even"));
    w.fill(-1);
    expect(sample.verdicts(model, w)).toEqual(Array(10).fill("odd"));
    w[0] = Number.NaN;
    expect(sample.verdicts(model, w)).toEqual(Array(10).fill("?"));
  });
});
