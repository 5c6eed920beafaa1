import type { Batch } from "../../data/batch.js";
import type { Rng } from "../../data/rng.js";

export type TargetKind =
  | { readonly kind: "sign" }
  | { readonly kind: "class"; readonly classes: number }
  | { readonly kind: "real" };

/**
 * A seeded batch of `rows` x `dim` features in [-1, 1) (multiples of 1/1024, exact in float32)
 * with targets of the given kind: +1/-1, class indices, or real values.
 */
export function randomBatch(rng: Rng, rows: number, dim: number, targets: TargetKind): Batch {
  const x = new Float32Array(rows * dim);
  for (let i = 0; i < x.length; i++) x[i] = (rng.int(2048) - 1024) / 1024;
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    if (targets.kind === "sign") y[j] = rng.next() < 0.5 ? -1 : 1;
    else if (targets.kind === "class") y[j] = rng.int(targets.classes);
    else y[j] = 2 * rng.normal();
  }
  return { x, y, rows, dim };
}

/** Weights drawn from N(0, scale^2). */
export function randomWeights(rng: Rng, size: number, scale = 0.5): Float64Array {
  const w = new Float64Array(size);
  for (let k = 0; k < size; k++) w[k] = scale * rng.normal();
  return w;
}
