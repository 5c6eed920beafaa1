import type { KernelMatrix, Kernels } from "../linalg/kernels.js";

/**
 * A batch's features copied once into a kernel backend's layout, owned by one objective. After
 * dispose() every use fails with a message naming the objective, rather than the backend's.
 */
export class BoundMatrix {
  private matrix: KernelMatrix | undefined;

  constructor(
    readonly kernels: Kernels,
    x: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.matrix = kernels.matrix(x, rows, cols);
  }

  /** The kernel matrix, for an operation described by `action` ("compute the svm loss"). */
  get(action: string): KernelMatrix {
    if (this.matrix === undefined) {
      throw new Error(`Cannot ${action}: the objective was disposed`);
    }
    return this.matrix;
  }

  /** Frees the backend memory; calling it again does nothing. */
  dispose(): void {
    this.matrix?.dispose();
    this.matrix = undefined;
  }
}

/** Runs `f` on a freshly bound matrix and frees it afterwards, for one-off passes (predict). */
export function withMatrix<T>(
  kernels: Kernels,
  x: Float32Array,
  rows: number,
  cols: number,
  f: (m: KernelMatrix) => T,
): T {
  const m = kernels.matrix(x, rows, cols);
  try {
    return f(m);
  } finally {
    m.dispose();
  }
}
