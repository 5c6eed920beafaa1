import { checkLength, checkMatrixShape, checkWidth } from "./kernel-args.js";
import type { KernelMatrix, Kernels } from "./kernels.js";

const NAME = "reference";

/** Plain float64-accumulating loops over the row-major float32 data: the reference backend. */
class ReferenceMatrix implements KernelMatrix {
  disposed = false;
  constructor(
    readonly x: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {}
  dispose(): void {
    this.disposed = true;
  }
}

function own(m: KernelMatrix, op: string): ReferenceMatrix {
  if (!(m instanceof ReferenceMatrix)) {
    throw new TypeError(
      `${NAME} ${op}: the matrix was made by another kernels backend; make it with this backend's matrix()`,
    );
  }
  if (m.disposed) throw new Error(`${NAME} ${op}: the matrix was used after dispose()`);
  return m;
}

export const referenceKernels: Kernels = {
  name: NAME,

  matrix(x, rows, cols) {
    checkMatrixShape(NAME, x, rows, cols);
    return new ReferenceMatrix(x.slice(0, rows * cols), rows, cols);
  },

  matVec(mm, w, out) {
    const { x, rows, cols } = own(mm, "matVec");
    checkLength("matVec", "w", w, cols);
    checkLength("matVec", "out", out, rows);
    for (let j = 0; j < rows; j++) {
      let s = 0;
      const o = j * cols;
      for (let k = 0; k < cols; k++) s += x[o + k] * w[k];
      out[j] = s;
    }
  },

  matTVec(mm, r, out) {
    const { x, rows, cols } = own(mm, "matTVec");
    checkLength("matTVec", "r", r, rows);
    checkLength("matTVec", "out", out, cols);
    out.fill(0, 0, cols);
    for (let j = 0; j < rows; j++) {
      const rj = r[j];
      if (rj === 0) continue;
      const o = j * cols;
      for (let k = 0; k < cols; k++) out[k] += x[o + k] * rj;
    }
  },

  squaredHinge(mm, y, w, g) {
    const { x, rows, cols } = own(mm, "squaredHinge");
    checkLength("squaredHinge", "y", y, rows);
    checkLength("squaredHinge", "w", w, cols);
    checkLength("squaredHinge", "g", g, cols);
    g.fill(0, 0, cols);
    let sum = 0;
    for (let j = 0; j < rows; j++) {
      const o = j * cols;
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += x[o + k] * w[k];
      const s = 1 - y[j] * dot;
      if (s <= 0) continue;
      sum += s * s;
      const coef = -y[j] * s;
      for (let k = 0; k < cols; k++) g[k] += coef * x[o + k];
    }
    return sum;
  },

  matMul(mm, w, h, out) {
    const { x, rows, cols } = own(mm, "matMul");
    checkWidth("matMul", h);
    checkLength("matMul", "w", w, cols * h);
    checkLength("matMul", "out", out, rows * h);
    out.fill(0, 0, rows * h);
    for (let j = 0; j < rows; j++) {
      const xo = j * cols;
      const oo = j * h;
      for (let k = 0; k < cols; k++) {
        const v = x[xo + k];
        if (v === 0) continue;
        const wo = k * h;
        for (let u = 0; u < h; u++) out[oo + u] += v * w[wo + u];
      }
    }
  },

  matTMul(mm, gIn, h, out) {
    const { x, rows, cols } = own(mm, "matTMul");
    checkWidth("matTMul", h);
    checkLength("matTMul", "g", gIn, rows * h);
    checkLength("matTMul", "out", out, cols * h);
    out.fill(0, 0, cols * h);
    for (let j = 0; j < rows; j++) {
      const xo = j * cols;
      const go = j * h;
      for (let k = 0; k < cols; k++) {
        const v = x[xo + k];
        if (v === 0) continue;
        const oo = k * h;
        for (let u = 0; u < h; u++) out[oo + u] += v * gIn[go + u];
      }
    }
  },
};
