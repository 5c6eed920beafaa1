/**
 * Row-major transpose: out (cols x rows) = src (rows x cols)^T. The kernels' matMul takes its
 * right factor as (features x outputs) while models store one row of weights per class or
 * centre, so the (small) weight matrix is transposed instead of the (large) data.
 */
export function transpose(src: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[o + c];
  }
}
