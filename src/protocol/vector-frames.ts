import type { RoundReport } from "../core/train/round-report.js";
import { PROTOCOL_VERSION } from "./limits.js";
import type { ProtocolMessage, RoundResultMessage, RoundStartMessage } from "./messages.js";
import { isLittleEndianHost, type VectorEncodingName, vectorCodec } from "./vector-codec.js";
import { encodingToWire } from "./vector-field.js";

/**
 * A hand-written encoder for the two frames sent every round, RoundStart and RoundResult: it
 * writes the Envelope in one pass into one buffer of the exact size. protobuf-es copies each
 * vector four times on the way (its bytes, the Vector, the message, the Envelope), and that
 * garbage (some 40 kB per frame) costs more than the encoding itself.
 *
 * The bytes are exactly protobuf-es's (fields in number order, proto3 zero values left out,
 * `optional` fields written when present); frame-codec.test.ts compares the two on many
 * messages. A value protobuf-es would refuse (a uint32 field that is not one) makes these
 * functions return undefined, so that the generic encoder reports it.
 */

/** Envelope field numbers (proto/fedtau.proto). */
const ENVELOPE_VERSION = 1;
const ENVELOPE_RUN_ID = 2;
const ENVELOPE_SEQ = 3;
const ENVELOPE_ROUND_START = 13;
const ENVELOPE_ROUND_RESULT = 14;

const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;

const UINT32_MAX = 0xffff_ffff;
const LITTLE_ENDIAN = isLittleEndianHost();
const utf8 = new TextEncoder();

/** A vector as the bytes of its wire `Vector`: encoding (enum) and data. */
interface VectorBytes {
  readonly encoding: number;
  readonly data: Uint8Array;
}

/**
 * Writes protobuf fields into `buf`, or, without a buffer, only counts their bytes (the first
 * of the two passes). `ok` turns false on a value protobuf-es would refuse.
 */
class ProtoOut {
  pos = 0;
  ok = true;
  readonly buf: Uint8Array | undefined;
  private readonly view: DataView | undefined;

  constructor(buf?: Uint8Array) {
    this.buf = buf;
    this.view = buf === undefined ? undefined : new DataView(buf.buffer, buf.byteOffset);
  }

  varint(v: number): void {
    const buf = this.buf;
    if (buf === undefined) {
      this.pos += varintSize(v);
      return;
    }
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  tag(no: number, wireType: number): void {
    this.varint(((no << 3) | wireType) >>> 0);
  }

  /** A uint32 field with implicit presence: left out when 0. */
  uint32(no: number, v: number): void {
    if (!(Number.isInteger(v) && v >= 0 && v <= UINT32_MAX)) {
      this.ok = false;
      return;
    }
    if (v === 0) return;
    this.tag(no, VARINT);
    this.varint(v);
  }

  /** A bool field with implicit presence: left out when false. */
  bool(no: number, v: boolean): void {
    if (v === false) return;
    this.tag(no, VARINT);
    if (this.buf !== undefined) this.buf[this.pos] = v ? 1 : 0;
    this.pos++;
  }

  /** A double field: with implicit presence left out when +0 (not -0), else when undefined. */
  double(no: number, v: number | undefined, explicit: boolean): void {
    if (v === undefined || (!explicit && Object.is(v, 0))) return;
    this.tag(no, FIXED64);
    this.view?.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Bytes with their length, after a tag written by the caller. */
  delimited(bytes: Uint8Array): void {
    this.varint(bytes.byteLength);
    this.buf?.set(bytes, this.pos);
    this.pos += bytes.byteLength;
  }

  /** A string field with implicit presence: left out when "". */
  string(no: number, utf8Bytes: Uint8Array): void {
    if (utf8Bytes.byteLength === 0) return;
    this.tag(no, DELIMITED);
    this.delimited(utf8Bytes);
  }

  /** A Vector message field (always present). */
  vector(no: number, v: VectorBytes): void {
    const n = v.data.byteLength;
    const size =
      (v.encoding === 0 ? 0 : 1 + varintSize(v.encoding)) + (n === 0 ? 0 : 1 + varintSize(n) + n);
    this.tag(no, DELIMITED);
    this.varint(size);
    if (v.encoding !== 0) {
      this.tag(1, VARINT);
      this.varint(v.encoding);
    }
    if (n > 0) {
      this.tag(2, DELIMITED);
      this.delimited(v.data);
    }
  }
}

function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
}

/** The little-endian bytes of `values` in `encoding`: a view when the layout already is that. */
function vectorBytes(
  values: Float64Array | Float32Array,
  encoding: VectorEncodingName,
): VectorBytes {
  const same =
    LITTLE_ENDIAN &&
    (encoding === "float64" ? values instanceof Float64Array : values instanceof Float32Array);
  return {
    encoding: encodingToWire(encoding),
    data: same
      ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
      : vectorCodec.encode(values, encoding),
  };
}

type VectorMessage = RoundStartMessage | RoundResultMessage;

/** The body of a RoundStart or RoundResult, ready to be counted or written. */
interface Body {
  readonly field: number;
  readonly write: (out: ProtoOut) => void;
}

function bodyOf(message: VectorMessage, encoding: VectorEncodingName): Body {
  if (message.type === "round-start") {
    const { order, deadlineMs } = message;
    const weights = vectorBytes(order.weights, encoding);
    return {
      field: ENVELOPE_ROUND_START,
      write: (out) => {
        out.uint32(1, order.round);
        out.vector(2, weights);
        out.uint32(3, order.tau);
        out.bool(4, order.lastRound);
        out.bool(5, order.prevGlobalWasBest);
        out.uint32(6, deadlineMs ?? 0);
      },
    };
  }
  const r: RoundReport = message.report;
  const weights = vectorBytes(r.weights, encoding);
  const grad = vectorBytes(r.gradAtGlobal, encoding);
  return {
    field: ENVELOPE_ROUND_RESULT,
    write: (out) => {
      out.uint32(1, r.round);
      out.vector(2, weights);
      out.uint32(3, r.tauDone);
      out.double(4, r.localSeconds, false);
      out.uint32(5, r.dataSize);
      out.double(6, r.lossAtGlobal, false);
      out.vector(7, grad);
      out.double(8, r.beta, true);
      out.double(9, r.rho, true);
      out.double(10, r.lossAtBest, true);
      out.double(11, r.gradNoise, true);
    },
  };
}

function isVectorMessage(message: ProtocolMessage): message is VectorMessage {
  return message.type === "round-start" || message.type === "round-result";
}

/** A body with its size, counted once; undefined when a value must be refused. */
function sizedBody(
  message: VectorMessage,
  encoding: VectorEncodingName,
): (Body & { readonly size: number }) | undefined {
  const body = bodyOf(message, encoding);
  const count = new ProtoOut();
  body.write(count);
  return count.ok ? { ...body, size: count.pos } : undefined;
}

/** The Envelope fields before the body, in number order: version, run id, seq. */
function writeHeader(out: ProtoOut, runId: Uint8Array, seq: number): void {
  out.uint32(ENVELOPE_VERSION, PROTOCOL_VERSION);
  out.string(ENVELOPE_RUN_ID, runId);
  out.uint32(ENVELOPE_SEQ, seq);
}

/** The Envelope's body field: tag, length, message. */
function writeBodyField(out: ProtoOut, body: Body & { readonly size: number }): void {
  out.tag(body.field, DELIMITED);
  out.varint(body.size);
  body.write(out);
}

/** Runs `write` twice: to count the bytes, then into a buffer of that size; undefined if refused. */
function twoPass(write: (out: ProtoOut) => void): Uint8Array | undefined {
  const count = new ProtoOut();
  write(count);
  if (!count.ok) return undefined;
  const out = new ProtoOut(new Uint8Array(count.pos));
  write(out);
  return out.buf;
}

/**
 * The frame of a RoundStart or RoundResult, byte for byte as encodeFrame's generic path would
 * write it; undefined for any other message or a value the generic path must refuse.
 */
export function encodeVectorFrame(
  message: ProtocolMessage,
  seq: number,
  encoding: VectorEncodingName,
): Uint8Array | undefined {
  if (!isVectorMessage(message)) return undefined;
  const body = sizedBody(message, encoding);
  if (body === undefined) return undefined;
  const runId = utf8.encode(message.runId);
  return twoPass((out) => {
    writeHeader(out, runId, seq);
    writeBodyField(out, body);
  });
}

/**
 * The length of the frame encodeVectorFrame would write, counted without writing it (the
 * vectors are not copied when their layout already is the wire's); undefined as encodeVectorFrame.
 */
export function vectorFrameLength(
  message: ProtocolMessage,
  seq: number,
  encoding: VectorEncodingName,
): number | undefined {
  if (!isVectorMessage(message)) return undefined;
  const body = sizedBody(message, encoding);
  if (body === undefined) return undefined;
  const count = new ProtoOut();
  writeHeader(count, utf8.encode(message.runId), seq);
  writeBodyField(count, body);
  return count.ok ? count.pos : undefined;
}

/**
 * The Envelope's body field of a RoundStart or RoundResult alone, to be put after each
 * connection's own header (`envelopeHeader`); undefined as encodeVectorFrame.
 */
export function encodeVectorBody(
  message: ProtocolMessage,
  encoding: VectorEncodingName,
): Uint8Array | undefined {
  const body = isVectorMessage(message) ? sizedBody(message, encoding) : undefined;
  return body === undefined ? undefined : twoPass((out) => writeBodyField(out, body));
}

/** The Envelope fields before the body (version, run id, seq); undefined if seq is no uint32. */
export function envelopeHeader(runId: string, seq: number): Uint8Array | undefined {
  const id = utf8.encode(runId);
  return twoPass((out) => writeHeader(out, id, seq));
}
