/**
 * Training data as a model sees it: `rows` samples of `dim` float32 features (row-major) and one
 * float64 target each (+1/-1 for binary tasks, a class index for multi-class, a value for
 * regression; ignored by K-means).
 */
export interface Batch {
  readonly x: Float32Array;
  readonly y: Float64Array;
  readonly rows: number;
  readonly dim: number;
}
