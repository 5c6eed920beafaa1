import { gunzipIfNeeded } from "./gunzip.js";
import { bytesToUnitFloats } from "./pixel-scale.js";

/**
 * The IDX format of MNIST-style data sets (http://yann.lecun.com/exdb/mnist/): a big-endian
 * header (two zero bytes, an element-type byte, a dimension count, then one uint32 per dimension)
 * followed by the values, big-endian, row-major. Images are 0x00000803 (unsigned bytes,
 * count x rows x cols); labels are 0x00000801 (unsigned bytes, count).
 */

const ELEMENT_TYPES = {
  8: { name: "unsigned byte", size: 1 },
  9: { name: "signed byte", size: 1 },
  11: { name: "int16", size: 2 },
  12: { name: "int32", size: 4 },
  13: { name: "float32", size: 4 },
  14: { name: "float64", size: 8 },
} as const;

export type IdxElementType = keyof typeof ELEMENT_TYPES;

export interface IdxArray {
  readonly type: IdxElementType;
  readonly dims: readonly number[];
  /** The values, row-major: the stored bytes for unsigned-byte data, decoded numbers otherwise. */
  readonly values: Uint8Array | Float64Array;
}

export interface IdxImages {
  readonly count: number;
  readonly shape: readonly [number, number];
  /** count x rows*cols float32 features: unsigned-byte pixels scaled to [0, 1], other types as stored. */
  readonly features: Float32Array;
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;

/**
 * Parses uncompressed IDX bytes holding an array of `rank` dimensions. `what` names the data in
 * errors, e.g. `IDX images "/d/train-images-idx3-ubyte"`.
 */
export function parseIdx(bytes: Uint8Array, rank: number, what: string): IdxArray {
  const fail = (why: string): never => {
    throw new Error(`Cannot read ${what}: ${why}`);
  };
  if (bytes.length < 4) {
    fail(`file is ${bytes.length} bytes long, too short for an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2] as IdxElementType;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(type in ELEMENT_TYPES) || bytes[3] !== rank) {
    const expected = 0x800 | rank;
    fail(
      `magic number ${hex(magic)}, expected ${hex(expected)} (${rank} dimension${rank === 1 ? "" : "s"})`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(
      `header is truncated: ${rank} dimensions need ${headerBytes} bytes, file has ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) {
    const d = view.getUint32(4 + 4 * k);
    if (d === 0) fail(`dimension ${k + 1} of ${rank} is 0`);
    dims.push(d);
  }
  const { name, size } = ELEMENT_TYPES[type];
  const count = dims.reduce((a, b) => a * b, 1);
  const dataBytes = count * size;
  const have = bytes.length - headerBytes;
  if (have !== dataBytes) {
    const declared = `header declares ${dims.join(" x ")} ${name} values (${dataBytes} bytes)`;
    fail(
      have < dataBytes
        ? `file is truncated: ${declared}, but only ${have} bytes follow the header`
        : `${declared}, but ${have - dataBytes} extra bytes follow them`,
    );
  }
  if (type === 0x08) {
    return { type, dims, values: bytes.subarray(headerBytes) };
  }
  const values = new Float64Array(count);
  for (let i = 0, p = headerBytes; i < count; i++, p += size) {
    switch (type) {
      case 0x09:
        values[i] = view.getInt8(p);
        break;
      case 0x0b:
        values[i] = view.getInt16(p);
        break;
      case 0x0c:
        values[i] = view.getInt32(p);
        break;
      case 0x0d:
        values[i] = view.getFloat32(p);
        break;
      default:
        values[i] = view.getFloat64(p);
    }
  }
  return { type, dims, values };
}

/** Reads IDX images (gzipped or not): count x rows x cols, usually magic 0x00000803. */
export async function readIdxImages(bytes: Uint8Array, file: string): Promise<IdxImages> {
  const what = `IDX images "${file}"`;
  const a = parseIdx(await gunzipIfNeeded(bytes, what), 3, what);
  const features =
    a.values instanceof Uint8Array ? bytesToUnitFloats(a.values) : Float32Array.from(a.values);
  if (!(a.values instanceof Uint8Array)) {
    for (let i = 0; i < features.length; i++) {
      if (!Number.isFinite(features[i])) {
        throw new Error(`Cannot read ${what}: value ${i} is ${a.values[i]}, not a finite float32`);
      }
    }
  }
  return { count: a.dims[0], shape: [a.dims[1], a.dims[2]], features };
}

/** Reads IDX labels (gzipped or not): one value per sample, usually magic 0x00000801. */
export async function readIdxLabels(bytes: Uint8Array, file: string): Promise<Float64Array> {
  const what = `IDX labels "${file}"`;
  const a = parseIdx(await gunzipIfNeeded(bytes, what), 1, what);
  const labels = Float64Array.from(a.values);
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isFinite(labels[i])) {
      throw new Error(`Cannot read ${what}: label ${i} is ${labels[i]}, not a finite number`);
    }
  }
  return labels;
}
