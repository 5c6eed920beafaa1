import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import {
  decodeVector,
  encodeVector,
  isLittleEndianHost,
  makeVectorCodec,
  vectorLength,
} from "./vector-codec.js";

const specials = [
  0,
  -0,
  1,
  -1.5,
  Math.PI,
  Number.MIN_VALUE, // smallest subnormal
  2.2250738585072014e-308, // smallest normal
  Number.MAX_VALUE,
  Number.EPSILON,
  1e-300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

function seeded(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal() * 10 ** (rng.int(21) - 10);
  return v;
}

/** `bytes` copied to `offset` inside a larger buffer: a view a Float64Array cannot take. */
function atOffset(bytes: Uint8Array, offset: number): Uint8Array {
  const big = new Uint8Array(bytes.byteLength + offset + 5).fill(0xee);
  big.set(bytes, offset);
  return big.subarray(offset, offset + bytes.byteLength);
}

const codecs = [
  ["little-endian fast path", makeVectorCodec(true)],
  ["portable DataView path (big-endian hosts)", makeVectorCodec(false)],
] as const;

describe("vector codec", () => {
  it("knows this host's byte order", () => {
    expect(typeof isLittleEndianHost()).toBe("boolean");
  });

  for (const [name, codec] of codecs) {
    describe(name, () => {
      it("round-trips float64 exactly, bit for bit, specials included", () => {
        const v = Float64Array.from([...specials, ...seeded(1000, 1)]);
        const back = codec.decode(codec.encode(v, "float64"), "float64");
        expect(back.length).toBe(v.length);
        expect(new Uint8Array(back.buffer)).toEqual(new Uint8Array(v.buffer));
        expect(Object.is(back[1], -0)).toBe(true);
      });

      it("round-trips float32 values exactly, as float32 and widened to float64", () => {
        const v32 = Float32Array.from([...specials, ...seeded(1000, 2)]);
        const bytes = codec.encode(v32, "float32");
        expect(bytes.byteLength).toBe(v32.length * 4);
        expect(codec.decodeFloat32(bytes)).toEqual(v32);
        expect(codec.decode(bytes, "float32")).toEqual(Float64Array.from(v32));
      });

      it("rounds float64 to the nearest float32 (Math.fround) when asked for float32", () => {
        const v = seeded(500, 3);
        const back = codec.decode(codec.encode(v, "float32"), "float32");
        expect(back).toEqual(v.map(Math.fround));
      });

      it("writes little-endian bytes whatever the host", () => {
        expect([...codec.encode(Float64Array.of(1), "float64")]).toEqual([
          0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
        ]);
        expect([...codec.encode(Float64Array.of(-2), "float32")]).toEqual([0, 0, 0, 0xc0]);
        expect(codec.decode(Uint8Array.of(0, 0, 0, 0, 0, 0, 0xf0, 0x3f), "float64")[0]).toBe(1);
      });

      it("decodes bytes at every unaligned offset, into a fresh aligned array", () => {
        const v = seeded(257, 4);
        const bytes = codec.encode(v, "float64");
        for (let offset = 0; offset < 16; offset++) {
          const view = atOffset(bytes, offset);
          const back = codec.decode(view, "float64");
          expect(back).toEqual(v);
          expect(back.byteOffset).toBe(0);
          back[0] = 123; // owned: writing it leaves the frame alone
          expect(view).toEqual(bytes);
        }
        const v32 = Float32Array.from(v);
        const b32 = codec.encode(v32, "float32");
        for (let offset = 1; offset < 4; offset++) {
          expect(codec.decodeFloat32(atOffset(b32, offset))).toEqual(v32);
        }
      });

      it("encodes a subarray (non-zero byteOffset) as just its values", () => {
        const v = seeded(100, 5);
        const sub = v.subarray(10, 20);
        expect(codec.decode(codec.encode(sub, "float64"), "float64")).toEqual(sub);
      });

      it("throws (programmer error) on bytes that are not whole values", () => {
        expect(() => codec.decode(new Uint8Array(13), "float64")).toThrow(
          "Cannot decode a float64 vector from 13 bytes: not a multiple of 8",
        );
      });
    });
  }

  it("gives identical bytes on both paths", () => {
    const v = seeded(1000, 6);
    for (const enc of ["float64", "float32"] as const) {
      expect(makeVectorCodec(false).encode(v, enc)).toEqual(makeVectorCodec(true).encode(v, enc));
    }
  });

  it("does not alias the caller's array when encoding", () => {
    const v = Float64Array.of(1, 2, 3);
    const bytes = encodeVector(v);
    v[0] = 99;
    expect(decodeVector(bytes)[0]).toBe(1);
  });

  it("counts values in a byte length", () => {
    expect(vectorLength(6272, "float64")).toBe(784);
    expect(vectorLength(3136, "float32")).toBe(784);
    expect(vectorLength(6271, "float64")).toBeUndefined();
    expect(vectorLength(0, "float32")).toBe(0);
  });
});
