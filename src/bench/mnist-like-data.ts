import { MNIST_COLS, MNIST_PIXELS } from "../core/data/mnist.js";
import { Rng } from "../core/data/rng.js";
import type { Kernels } from "../core/linalg/kernels.js";

/** Features per MNIST image (28 x 28). */
export const MNIST_DIM = MNIST_PIXELS;

/** Synthetic digits shaped like MNIST for timing: what matters to the kernels is their density. */
export interface MnistLikeData {
  readonly rows: number;
  readonly dim: number;
  /** rows x dim pixels in [0, 1], row-major. */
  readonly x: Float32Array;
  /** +1 for even classes, -1 for odd ones (the SVM task). */
  readonly y: Float64Array;
}

/**
 * `rows` seeded images of 10 classes, shaped like MNIST where the kernels can tell: about 19% of
 * the pixels are non-zero, about a third of those are 1 and the rest grey levels, and ink is
 * dense in the middle and absent from the corners, so that (as in MNIST, where 1,600 digits leave
 * about 170 of the 784 pixels always blank and 8,000 about 120) some columns are all zero. Each
 * class modulates the ink probability per pixel, so the label (class parity) is learnable but not
 * separable, and a trained SVM keeps rows with hinge slack.
 */
export function mnistLikeData(rows: number, seed = 1): MnistLikeData {
  const rng = new Rng(seed);
  const side = MNIST_COLS;
  const classes = 10;
  const onProbability = new Float64Array(classes * MNIST_DIM);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < MNIST_DIM; k++) {
      const r = Math.hypot((k % side) - 13.5, Math.floor(k / side) - 13.5);
      // Radial ink profile fitted to MNIST's density and blank-pixel counts; the class factor
      // averages 1.
      const ink = 0.6 * Math.exp(-((r / 9.5) ** 5));
      onProbability[c * MNIST_DIM + k] = Math.min(0.95, ink * (0.3 + 1.4 * rng.next()));
    }
  }
  const x = new Float32Array(rows * MNIST_DIM);
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    const c = rng.int(classes);
    y[j] = c % 2 === 0 ? 1 : -1;
    const p = c * MNIST_DIM;
    const o = j * MNIST_DIM;
    for (let k = 0; k < MNIST_DIM; k++) {
      if (rng.next() < onProbability[p + k]) x[o + k] = rng.next() < 0.3 ? 1 : rng.next();
    }
  }
  return { rows, dim: MNIST_DIM, x, y };
}

/** Share of rows with hinge slack (1 - y <w, x> > 0) at w. */
export function activeShare(kernels: Kernels, data: MnistLikeData, w: Float64Array): number {
  const m = kernels.matrix(data.x, data.rows, data.dim);
  try {
    const dots = new Float64Array(data.rows);
    kernels.matVec(m, w, dots);
    let active = 0;
    for (let j = 0; j < data.rows; j++) if (1 - data.y[j] * dots[j] > 0) active++;
    return data.rows === 0 ? 0 : active / data.rows;
  } finally {
    m.dispose();
  }
}

/**
 * Weights with realistic slack for timing the SVM gradient: full-batch gradient descent from
 * w = 0 (lambda 0.1, the smooth-SVM objective) until no more than `targetActive` of the rows
 * have slack, or `maxSteps`. Why not w = 0: there every row has slack, so no block can be
 * skipped and the timing would be that of the first step only; nor a converged w, which would
 * flatter block skipping. Mid-training, about half the rows are active.
 */
export function weightsWithSlack(
  kernels: Kernels,
  data: MnistLikeData,
  { lambda = 0.1, eta = 0.5, targetActive = 0.5, maxSteps = 200 } = {},
): Float64Array {
  const { rows, dim } = data;
  const m = kernels.matrix(data.x, rows, dim);
  try {
    const w = new Float64Array(dim);
    const g = new Float64Array(dim);
    const dots = new Float64Array(rows);
    for (let step = 0; step < maxSteps; step++) {
      kernels.matVec(m, w, dots);
      let active = 0;
      for (let j = 0; j < rows; j++) if (1 - data.y[j] * dots[j] > 0) active++;
      if (rows === 0 || active / rows <= targetActive) break;
      kernels.squaredHinge(m, data.y, w, g);
      for (let k = 0; k < dim; k++) w[k] -= eta * (lambda * w[k] + g[k] / rows);
    }
    return w;
  } finally {
    m.dispose();
  }
}
