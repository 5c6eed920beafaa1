import { describe, expect, it } from "vitest";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { activeShare, MNIST_DIM, mnistLikeData, weightsWithSlack } from "./mnist-like-data.js";

describe("mnistLikeData", () => {
  const d = mnistLikeData(1600, 1);

  it("has MNIST's shape and density: pixels in [0, 1], about 19% non-zero, labels +-1", () => {
    expect(d.x).toHaveLength(1600 * MNIST_DIM);
    let nonZero = 0;
    let outside = 0;
    for (const v of d.x) {
      if (!(v >= 0 && v <= 1)) outside++;
      if (v !== 0) nonZero++;
    }
    expect(outside).toBe(0);
    const density = nonZero / d.x.length;
    expect(density).toBeGreaterThan(0.17);
    expect(density).toBeLessThan(0.21);
    const positives = d.y.filter((v) => v === 1).length;
    expect(positives + d.y.filter((v) => v === -1).length).toBe(1600);
    expect(positives / 1600).toBeGreaterThan(0.4);
    expect(positives / 1600).toBeLessThan(0.6);
  });

  it("leaves a blank border, like MNIST (100-250 always-zero pixels in 1,600 digits)", () => {
    let blank = 0;
    for (let k = 0; k < MNIST_DIM; k++) {
      let any = false;
      for (let j = 0; j < d.rows && !any; j++) any = d.x[j * MNIST_DIM + k] !== 0;
      if (!any) blank++;
    }
    expect(blank).toBeGreaterThan(100);
    expect(blank).toBeLessThan(250);
  });

  it("is the same for the same seed and different for another", () => {
    const again = mnistLikeData(50, 1);
    expect(again.x).toEqual(mnistLikeData(50, 1).x);
    expect(again.x).not.toEqual(mnistLikeData(50, 2).x);
  });
});

describe("weightsWithSlack", () => {
  it("trains from w = 0 (every row with slack) until about half the rows have slack", () => {
    const d = mnistLikeData(400, 3);
    expect(activeShare(referenceKernels, d, new Float64Array(MNIST_DIM))).toBe(1);
    const w = weightsWithSlack(referenceKernels, d);
    const share = activeShare(referenceKernels, d, w);
    expect(share).toBeLessThanOrEqual(0.5);
    expect(share).toBeGreaterThan(0.3);
  });
});
