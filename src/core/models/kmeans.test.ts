import { describe, expect, it } from "vitest";
import type { Batch } from "../data/batch.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { KmeansModel } from "./kmeans.js";
import { descentLosses, gradientError } from "./test-support/gradient-check.js";
import { randomBatch, randomWeights } from "./test-support/random-batch.js";

const kernels = referenceKernels;

/** Rows of one feature each, no targets. */
function points(...values: number[]): Batch {
  return { x: Float32Array.from(values), y: new Float64Array(0), rows: values.length, dim: 1 };
}

describe("k-means", () => {
  it("has the gradient of its loss (central differences, relative 1e-6)", () => {
    const rng = new Rng(51);
    const b = randomBatch(rng, 30, 4, { kind: "real" });
    const model = new KmeansModel(b.dim, { kernels, k: 3 });
    const objective = model.bind(b);
    for (let trial = 0; trial < 4; trial++) {
      expect(gradientError(objective, randomWeights(rng, model.size, 0.7))).toBeLessThan(1e-6);
    }
  });

  it("measures the mean squared distance to the nearest centre", () => {
    const model = new KmeansModel(1, { kernels, k: 2 });
    const data = points(0, 1, 10, 11);
    const objective = model.bind(data);
    const grad = new Float64Array(2);
    // Centres at the two cluster means: every point 0.5 away, and no pull on either centre.
    expect(objective.lossAndGradient(Float64Array.of(0.5, 10.5), grad)).toBe(0.25);
    expect(Array.from(grad)).toEqual([0, 0]);
    // Centre 0 at 0 pulls on its members 0 and 1 only: 2/4 * ((0 - 0) + (0 - 1)) = -0.5.
    expect(objective.lossAndGradient(Float64Array.of(0, 10.5), grad)).toBe((0 + 1 + 0.5) / 4);
    expect(Array.from(grad)).toEqual([-0.5, 0]);
    expect(Array.from(model.predict(Float64Array.of(0.5, 10.5), data.x, 4))).toEqual([0, 0, 1, 1]);
    expect(model.evaluate(Float64Array.of(0.5, 10.5), data)).toEqual({ loss: 0.25 });
  });

  it("gives ties to the first centre and no gradient to a centre nearest to no row", () => {
    const model = new KmeansModel(1, { kernels, k: 2 });
    const grad = new Float64Array(2);
    model.bind(points(1, 3)).lossAndGradient(Float64Array.of(2, 2), grad);
    expect(Array.from(grad)).toEqual([0, 0]);
    model.bind(points(1, 1)).lossAndGradient(Float64Array.of(2, 2), grad);
    expect(Array.from(grad)).toEqual([2, 0]);
  });

  it("lowers its loss under gradient steps", () => {
    const rng = new Rng(52);
    const b = randomBatch(rng, 60, 3, { kind: "real" });
    const model = new KmeansModel(b.dim, { kernels, k: 4 });
    const losses = descentLosses(model.bind(b), model.initialWeights(rng, b), 0.5, 10);
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThanOrEqual(losses[s - 1]);
    expect(losses.at(-1)).toBeLessThan(losses[0] * 0.95);
  });

  it.each(["kmeans++", "random-rows"] as const)(
    "seeds its centres from distinct data rows with %s, reproducibly",
    (init) => {
      const b = randomBatch(new Rng(53), 50, 3, { kind: "real" });
      const model = new KmeansModel(b.dim, { kernels, k: 5, init });
      const w = model.initialWeights(new Rng(7), b);
      expect(Array.from(model.initialWeights(new Rng(7), b))).toEqual(Array.from(w));
      expect(Array.from(model.initialWeights(new Rng(8), b))).not.toEqual(Array.from(w));
      const rowsUsed = new Set<number>();
      for (let c = 0; c < 5; c++) {
        const centre = Array.from(w.subarray(c * 3, c * 3 + 3));
        const row = [...Array(b.rows).keys()].find((j) =>
          centre.every((v, i) => v === b.x[j * 3 + i]),
        );
        expect(row).toBeDefined();
        rowsUsed.add(row as number);
      }
      expect(rowsUsed.size).toBe(5);
    },
  );

  it("with k-means++ picks one centre in each of two far-apart clusters", () => {
    const near = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
    const data = points(...near, ...near.map((v) => v + 1000));
    const model = new KmeansModel(1, { kernels, k: 2 });
    for (let seed = 0; seed < 10; seed++) {
      const [a, b] = model.initialWeights(new Rng(seed), data);
      expect(Math.abs(a - b)).toBeGreaterThan(999);
    }
  });

  it("still draws distinct rows when the data holds duplicates", () => {
    const model = new KmeansModel(1, { kernels, k: 3 });
    const w = model.initialWeights(new Rng(1), points(4, 4, 4, 4));
    expect(Array.from(w)).toEqual([4, 4, 4]);
  });

  it("needs data, enough rows, and weights of k x dim", () => {
    const model = new KmeansModel(2, { kernels, k: 3 });
    expect(() => model.initialWeights(new Rng(1))).toThrow(
      "Cannot initialise kmeans: its 3 centres are drawn from data rows, and no data was given",
    );
    const two = { x: new Float32Array(4), y: new Float64Array(0), rows: 2, dim: 2 };
    expect(() => model.initialWeights(new Rng(1), two)).toThrow(
      "Cannot initialise kmeans: 3 centres need at least 3 data rows, got 2",
    );
    expect(() => model.bind(two).loss(new Float64Array(2))).toThrow(
      "Cannot compute the kmeans loss: expected 6 weights, got 2",
    );
    expect(() => new KmeansModel(2, { kernels, k: 0 })).toThrow(
      "Cannot create kmeans: k must be an integer >= 1, got 0",
    );
  });
});
