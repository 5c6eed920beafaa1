import { unitFloatsToBytes } from "../core/data/pixel-scale.js";
import type { Preview } from "../protocol/index.js";
import type { NodeData } from "./node-data.js";

/**
 * A few of the node's samples as grey images, for the dashboard: only sent by a node that opted
 * in (--share-preview). Undefined when the data are not labelled images.
 */
export function dataPreview(data: NodeData, count = 8): Preview | undefined {
  const ds = data.dataset;
  if (ds.imageShape === undefined || ds.classes === undefined) return undefined;
  const [height, width] = ds.imageShape;
  const pixelsPer = height * width;
  if (pixelsPer !== ds.dim) return undefined;
  const n = Math.min(count, data.rows?.length ?? ds.rows);
  if (n === 0) return undefined;
  const pixels = new Uint8Array(n * pixelsPer);
  const labels: number[] = [];
  for (let k = 0; k < n; k++) {
    const row = data.rows === undefined ? k : data.rows[k];
    pixels.set(
      unitFloatsToBytes(ds.features.subarray(row * ds.dim, (row + 1) * ds.dim)),
      k * pixelsPer,
    );
    labels.push(ds.labels[row]);
  }
  return { height, width, pixels, labels };
}
