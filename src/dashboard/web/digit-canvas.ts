import { fromBase64 } from "./base64.js";

/**
 * Draws a grey image (0 = background) as dark ink on white, onto `canvas` at (x, y). The canvas
 * keeps the image's own resolution; CSS scales it.
 */
export function drawDigit(
  ctx: CanvasRenderingContext2D,
  base64: string,
  width: number,
  height: number,
  x = 0,
  y = 0,
): void {
  const bytes = fromBase64(base64);
  if (bytes.length !== width * height) return;
  const image = ctx.createImageData(width, height);
  for (let k = 0; k < bytes.length; k++) {
    const v = 255 - bytes[k];
    image.data[4 * k] = v;
    image.data[4 * k + 1] = v;
    image.data[4 * k + 2] = v;
    image.data[4 * k + 3] = 255;
  }
  ctx.putImageData(image, x, y);
}

/** A canvas holding images side by side, each `width` x `height`, a pixel apart. */
export function digitStrip(
  images: readonly string[],
  width: number,
  height: number,
): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, images.length * (width + 1) - 1);
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (ctx) {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    for (const [k, image] of images.entries())
      drawDigit(ctx, image, width, height, k * (width + 1), 0);
  }
  return canvas;
}
