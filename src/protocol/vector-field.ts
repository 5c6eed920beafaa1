import { create } from "@bufbuild/protobuf";
import { accepted, type Checked, cannotAccept, protocolError, refused } from "./error-codes.js";
import { type Vector, VectorEncoding, VectorSchema } from "./gen/fedtau_pb.js";
import type { Refusing } from "./issue-to-error.js";
import {
  BYTES_PER_VALUE,
  type VectorEncodingName,
  vectorCodec,
  vectorLength,
} from "./vector-codec.js";

const encodingNames = new Map<number, VectorEncodingName>([
  [VectorEncoding.FLOAT64_LE, "float64"],
  [VectorEncoding.FLOAT32_LE, "float32"],
]);

const encodingValues: Readonly<Record<VectorEncodingName, VectorEncoding>> = {
  float64: VectorEncoding.FLOAT64_LE,
  float32: VectorEncoding.FLOAT32_LE,
};

export function encodingToWire(name: VectorEncodingName): VectorEncoding {
  return encodingValues[name];
}

/** The name of a wire encoding; undefined for a value this version does not know. */
export function encodingFromWire(wire: number): VectorEncodingName | undefined {
  return encodingNames.get(wire);
}

export const KNOWN_ENCODINGS: ReadonlyMap<number, VectorEncodingName> = encodingNames;

/** A wire Vector holding `values` in `encoding`. */
export function vectorToWire(
  values: Float64Array | Float32Array,
  encoding: VectorEncodingName,
): Vector {
  return create(VectorSchema, {
    encoding: encodingToWire(encoding),
    data: vectorCodec.encode(values, encoding),
  });
}

/** What a vector field must be. */
export interface VectorRule {
  /** Field path, e.g. "weights", "gradAtGlobal". */
  readonly field: string;
  /** What its values are called in "expected 784 weights, got 783". */
  readonly noun: string;
  /** Required length; undefined: any non-zero length. */
  readonly length?: number;
  /** Refuse NaN and infinities (not-finite). */
  readonly finite: boolean;
}

/**
 * The float64 values of a wire Vector field, checked: present (missing-field), a known encoding
 * (unknown-enum), a whole number of values (wrong-length), the expected length (wrong-length),
 * and finite when the rule says so (not-finite).
 */
export function vectorFromWire(
  vector: Vector | undefined,
  rule: VectorRule,
  at: Refusing,
): Checked<Float64Array> {
  const fail = (code: Parameters<typeof protocolError>[0], reason: string, field = rule.field) =>
    refused<Float64Array>(protocolError(code, cannotAccept(at.what, at.from, reason), { field }));
  if (vector === undefined) return fail("missing-field", `${rule.field} is missing`);
  const encoding = encodingFromWire(vector.encoding);
  if (encoding === undefined) {
    return fail(
      "unknown-enum",
      `${rule.field}.encoding has unknown value ${vector.encoding}`,
      `${rule.field}.encoding`,
    );
  }
  const n = vectorLength(vector.data.byteLength, encoding);
  if (n === undefined) {
    return fail(
      "wrong-length",
      `${rule.field} has ${vector.data.byteLength} bytes, not a whole number of ${encoding} values (${BYTES_PER_VALUE[encoding]} bytes each)`,
    );
  }
  if (rule.length !== undefined ? n !== rule.length : n === 0) {
    const expected = rule.length === undefined ? "at least 1" : String(rule.length);
    return fail("wrong-length", `expected ${expected} ${rule.noun}, got ${n}`);
  }
  const values = vectorCodec.decode(vector.data, encoding);
  if (rule.finite) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0) {
        return fail(
          "not-finite",
          `${rule.field}[${i}] must be a finite number, got ${v}`,
          `${rule.field}[${i}]`,
        );
      }
    }
  }
  return accepted(values);
}
