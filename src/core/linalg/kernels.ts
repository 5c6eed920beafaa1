/**
 * The hot products of fedtau, behind one interface with two backends: a plain typed-array
 * reference (`reference-kernels.ts`) and WebAssembly SIMD (`wasm-kernels.ts`). Models hold their
 * data as a `KernelMatrix` prepared once (each backend keeps its own layout) and call these.
 *
 * Weights and vectors cross the interface as Float64Array; a backend may compute in float32 and
 * must state its tolerance against the reference (see kernels.test.ts: wasm-simd is within 1e-5
 * of the norm of the reference result). A backend may also skip columns of X that are zero in
 * every row: with non-finite weights it can then differ from the reference, which turns
 * 0 * Infinity into NaN. Pick a backend with `getKernels` / `loadKernels` (select-kernels.ts).
 */
export interface KernelMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Releases backend memory. Using the matrix afterwards is an error. */
  dispose(): void;
}

export interface Kernels {
  readonly name: "reference" | "wasm-simd";
  /** Copies `rows` x `cols` row-major features into this backend's layout. */
  matrix(x: Float32Array, rows: number, cols: number): KernelMatrix;
  /** out[j] = sum_k X[j,k] w[k]   (out.length = rows) */
  matVec(m: KernelMatrix, w: Float64Array, out: Float64Array): void;
  /** out[k] = sum_j X[j,k] r[j]   (out.length = cols) */
  matTVec(m: KernelMatrix, r: Float64Array, out: Float64Array): void;
  /**
   * The smooth-SVM data term in one pass over X: with s_j = max(0, 1 - y_j <w, x_j>), writes
   * g[k] = -sum_j y_j s_j X[j,k] and returns sum_j s_j^2 (no 1/n, no regulariser).
   */
  squaredHinge(m: KernelMatrix, y: Float64Array, w: Float64Array, g: Float64Array): number;
  /** out (rows x h, row-major) = X (rows x cols) * W (cols x h, row-major). */
  matMul(m: KernelMatrix, w: Float64Array, h: number, out: Float64Array): void;
  /** out (cols x h, row-major) = X^T * G, with G rows x h row-major. */
  matTMul(m: KernelMatrix, g: Float64Array, h: number, out: Float64Array): void;
}
