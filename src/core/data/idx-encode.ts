import type { IdxElementType } from "./idx.js";

const SIZES: Record<IdxElementType, number> = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 };

/**
 * IDX bytes (uncompressed, big-endian) for an array of the given dimensions, the inverse of
 * parseIdx: to export a data set or to write small test files. Unsigned bytes (0x08) by default.
 */
export function encodeIdx(
  dims: readonly number[],
  values: ArrayLike<number>,
  type: IdxElementType = 0x08,
): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new RangeError(
      `Cannot encode IDX: ${dims.join(" x ")} needs ${count} values, got ${values.length}`,
    );
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * SIZES[type]);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, k) => {
    view.setUint32(4 + 4 * k, d);
  });
  for (let i = 0, p = header; i < count; i++, p += SIZES[type]) {
    const v = values[i];
    switch (type) {
      case 0x08:
        view.setUint8(p, v);
        break;
      case 0x09:
        view.setInt8(p, v);
        break;
      case 0x0b:
        view.setInt16(p, v);
        break;
      case 0x0c:
        view.setInt32(p, v);
        break;
      case 0x0d:
        view.setFloat32(p, v);
        break;
      default:
        view.setFloat64(p, v);
    }
  }
  return out;
}
