import { createHash } from "node:crypto";

/** The first line of every checkpoint file names its format. */
export const CHECKPOINT_FORMAT = "fedtau-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** The header line: the format, and the length and SHA-256 of the body that follows it. */
interface Header {
  readonly format: string;
  readonly version: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * A value as checkpoint text: a header line (format, version, body length and SHA-256), then
 * the body as JSON. Exact for float64: a Float64Array is stored as its little-endian bytes in
 * base64 (`{"$float64": ...}`), and the numbers JSON cannot hold (NaN, +-Infinity, -0) as
 * `{"$number": "NaN"}`; every other number JSON prints in its shortest round-trip form.
 */
export function encodeCheckpoint(value: unknown): string {
  const body = `${JSON.stringify(value, replacer)}\n`;
  const bytes = Buffer.from(body, "utf8");
  const header: Header = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    bytes: bytes.length,
    sha256: sha256(bytes),
  };
  return `${JSON.stringify(header)}\n${body}`;
}

/**
 * Reads checkpoint text back; throws an Error saying what is wrong when it is not a checkpoint,
 * of an unknown version, cut short, or changed (the checksum does not match).
 */
export function decodeCheckpoint(text: string): unknown {
  const cut = text.indexOf("\n");
  if (cut < 0) throw new Error("it has no header line (cut short, or not a checkpoint)");
  let header: Partial<Header>;
  try {
    header = JSON.parse(text.slice(0, cut)) as Partial<Header>;
  } catch {
    throw new Error("its header line is not JSON (not a fedtau checkpoint)");
  }
  if (typeof header !== "object" || header === null || header.format !== CHECKPOINT_FORMAT) {
    throw new Error(`its header does not name the format "${CHECKPOINT_FORMAT}"`);
  }
  if (header.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `it has version ${String(header.version)}; this fedtau reads version ${CHECKPOINT_VERSION}`,
    );
  }
  const body = Buffer.from(text.slice(cut + 1), "utf8");
  if (body.length !== header.bytes) {
    throw new Error(`its body has ${body.length} bytes, the header says ${String(header.bytes)}`);
  }
  if (sha256(body) !== header.sha256) {
    throw new Error("its body does not match the header's SHA-256 (changed or damaged)");
  }
  try {
    return JSON.parse(body.toString("utf8"), reviver);
  } catch (e) {
    throw new Error(`its body does not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Float64Array) return { $float64: float64Base64(value) };
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) {
    return { $number: Object.is(value, -0) ? "-0" : String(value) };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const v = value as Record<string, unknown>;
  if (typeof v.$float64 === "string") return base64Float64(v.$float64);
  if (typeof v.$number === "string") {
    const special: Record<string, number> = {
      NaN: Number.NaN,
      Infinity: Number.POSITIVE_INFINITY,
      "-Infinity": Number.NEGATIVE_INFINITY,
      "-0": -0,
    };
    const n = special[v.$number];
    if (n === undefined) throw new Error(`unknown special number "${v.$number}"`);
    return n;
  }
  return value;
}

function float64Base64(a: Float64Array): string {
  const bytes = Buffer.alloc(a.length * 8);
  for (let i = 0; i < a.length; i++) bytes.writeDoubleLE(a[i], i * 8);
  return bytes.toString("base64");
}

function base64Float64(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 8 !== 0) throw new Error("a float64 vector's length is not a multiple of 8");
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readDoubleLE(i * 8);
  return out;
}
