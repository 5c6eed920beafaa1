/**
 * Vectors (weights, gradients) as the bytes of a wire `Vector`: IEEE 754 numbers, little-endian
 * whatever the host's byte order, 8 bytes each (float64, exact) or 4 (float32).
 *
 * Decoding always copies into a fresh, aligned typed array that the caller owns: decoded
 * protobuf `bytes` are views into the received frame, often at an offset that is not a multiple
 * of 8 (a Float64Array cannot view them), and the frame's memory may be shared with other data
 * (Node's socket buffers). One memcpy per vector; see the benchmark in vector-codec.test.ts.
 */

export type VectorEncodingName = "float64" | "float32";

export const VECTOR_ENCODINGS: readonly VectorEncodingName[] = ["float64", "float32"];

export const BYTES_PER_VALUE: Readonly<Record<VectorEncodingName, number>> = {
  float64: 8,
  float32: 4,
};

export interface VectorCodec {
  /** The little-endian bytes of `values` in `encoding` (float64 -> float32 rounds to nearest). */
  encode(values: Float64Array | Float32Array, encoding: VectorEncodingName): Uint8Array;
  /** float64 values of little-endian bytes in `encoding` (float32 widens exactly). */
  decode(bytes: Uint8Array, encoding: VectorEncodingName): Float64Array;
  /** float32 values of little-endian float32 bytes, unwidened. */
  decodeFloat32(bytes: Uint8Array): Float32Array;
}

/** True when this machine stores numbers little-endian (every common CPU today). */
export function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/**
 * Number of values in `byteLength` bytes of `encoding`; undefined when the bytes are not a
 * whole number of values.
 */
export function vectorLength(byteLength: number, encoding: VectorEncodingName): number | undefined {
  const size = BYTES_PER_VALUE[encoding];
  return byteLength % size === 0 ? byteLength / size : undefined;
}

function checkWhole(bytes: Uint8Array, encoding: VectorEncodingName): number {
  const n = vectorLength(bytes.byteLength, encoding);
  if (n === undefined) {
    throw new RangeError(
      `Cannot decode a ${encoding} vector from ${bytes.byteLength} bytes: not a multiple of ${BYTES_PER_VALUE[encoding]}`,
    );
  }
  return n;
}

/** Host order is little-endian: typed arrays already hold the wire layout; copy bytes. */
const littleEndianCodec: VectorCodec = {
  encode(values, encoding) {
    const typed =
      encoding === "float64"
        ? values instanceof Float64Array
          ? values
          : new Float64Array(values)
        : values instanceof Float32Array
          ? values
          : new Float32Array(values);
    if (typed !== values) return new Uint8Array(typed.buffer); // fresh array, owned
    return new Uint8Array(
      typed.buffer.slice(typed.byteOffset, typed.byteOffset + typed.byteLength),
    );
  },
  decode(bytes, encoding) {
    const n = checkWhole(bytes, encoding);
    if (encoding === "float64") {
      const out = new Float64Array(n);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
    return new Float64Array(littleEndianCodec.decodeFloat32(bytes));
  },
  decodeFloat32(bytes) {
    const n = checkWhole(bytes, "float32");
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  },
};

/** Any host order: explicit little-endian reads and writes through a DataView. */
const portableCodec: VectorCodec = {
  encode(values, encoding) {
    const size = BYTES_PER_VALUE[encoding];
    const out = new Uint8Array(values.length * size);
    const view = new DataView(out.buffer);
    if (encoding === "float64") {
      for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
    } else {
      for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    }
    return out;
  },
  decode(bytes, encoding) {
    const n = checkWhole(bytes, encoding);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float64Array(n);
    if (encoding === "float64") {
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
    } else {
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    }
    return out;
  },
  decodeFloat32(bytes) {
    const n = checkWhole(bytes, "float32");
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  },
};

/**
 * The codec for a host of the given byte order: the fast copy on little-endian hosts, DataView
 * reads and writes otherwise. Both give the same bytes; tests run both on any host.
 */
export function makeVectorCodec(hostLittleEndian: boolean): VectorCodec {
  return hostLittleEndian ? littleEndianCodec : portableCodec;
}

/** The codec for this machine. */
export const vectorCodec: VectorCodec = makeVectorCodec(isLittleEndianHost());

export function encodeVector(
  values: Float64Array | Float32Array,
  encoding: VectorEncodingName = "float64",
): Uint8Array {
  return vectorCodec.encode(values, encoding);
}

export function decodeVector(
  bytes: Uint8Array,
  encoding: VectorEncodingName = "float64",
): Float64Array {
  return vectorCodec.decode(bytes, encoding);
}
