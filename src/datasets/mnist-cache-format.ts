import { MNIST_PIXELS } from "../core/data/mnist.js";
import { crc32 } from "./crc32.js";

/**
 * The cache file of the embedded MNIST's parsed bytes, little-endian:
 *
 *   0  8 bytes  "FEDTAUMN"
 *   8  uint32   format version (MNIST_CACHE_VERSION)
 *  12  uint32   digit count n
 *  16  uint32   pixels per digit (784)
 *  20  uint32   CRC-32 of everything after the header
 *  24  n bytes  labels, then n * 784 bytes of pixels
 *
 * The CRC and the exact length catch a truncated or damaged file, which is then rebuilt.
 */
export const MNIST_CACHE_VERSION = 1;

const MAGIC = "FEDTAUMN";
const HEADER_BYTES = 24;

export interface MnistBytes {
  /** One label 0..9 per digit. */
  readonly labels: Uint8Array;
  /** 784 pixel bytes per digit, row-major. */
  readonly pixels: Uint8Array;
}

export function encodeMnistCache({ labels, pixels }: MnistBytes): Uint8Array {
  const n = labels.length;
  const out = new Uint8Array(HEADER_BYTES + n + pixels.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  out.set(labels, HEADER_BYTES);
  out.set(pixels, HEADER_BYTES + n);
  const view = new DataView(out.buffer);
  view.setUint32(8, MNIST_CACHE_VERSION, true);
  view.setUint32(12, n, true);
  view.setUint32(16, MNIST_PIXELS, true);
  view.setUint32(20, crc32(out.subarray(HEADER_BYTES)), true);
  return out;
}

/** Decodes a cache file, or throws `Cannot use MNIST cache "FILE": ...` saying what is wrong. */
export function decodeMnistCache(bytes: Uint8Array, file: string): MnistBytes {
  const fail = (why: string): never => {
    throw new Error(`Cannot use MNIST cache "${file}": ${why}`);
  };
  if (bytes.length < HEADER_BYTES) fail(`file is ${bytes.length} bytes, shorter than its header`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    fail(`it does not start with "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MNIST_CACHE_VERSION)
    fail(`format version ${version}, expected ${MNIST_CACHE_VERSION}`);
  const n = view.getUint32(12, true);
  const pixelsPerDigit = view.getUint32(16, true);
  if (pixelsPerDigit !== MNIST_PIXELS)
    fail(`${pixelsPerDigit} pixels per digit, expected ${MNIST_PIXELS}`);
  const expected = HEADER_BYTES + n * (1 + MNIST_PIXELS);
  if (bytes.length !== expected)
    fail(`file is ${bytes.length} bytes, expected ${expected} for ${n} digits`);
  const body = bytes.subarray(HEADER_BYTES);
  if (crc32(body) !== view.getUint32(20, true)) fail("checksum mismatch (the file is damaged)");
  const labels = body.subarray(0, n);
  for (let i = 0; i < n; i++) if (labels[i] > 9) fail(`digit ${i} has label ${labels[i]}`);
  return { labels, pixels: body.subarray(n) };
}
