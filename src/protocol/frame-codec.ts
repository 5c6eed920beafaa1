import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  accepted,
  type Checked,
  cannotAccept,
  type ErrorCode,
  type ProtocolError,
  protocolError,
} from "./error-codes.js";
import { type Envelope, EnvelopeSchema } from "./gen/fedtau_pb.js";
import { DEFAULT_MAX_MESSAGE_BYTES, MAX_RUN_ID_CHARS, PROTOCOL_VERSION } from "./limits.js";
import { errorFromWire, errorToWire, heartbeatFromWire, heartbeatToWire } from "./map-control.js";
import { readyFromWire, readyToWire } from "./map-ready.js";
import { registerFromWire, registerToWire } from "./map-register.js";
import { roundReportFromWire, roundReportToWire } from "./map-round-result.js";
import { roundOrderFromWire, roundOrderToWire } from "./map-round-start.js";
import { setupFromWire, setupToWire } from "./map-setup.js";
import { stopFromWire, stopToWire } from "./map-stop.js";
import {
  MESSAGE_NAMES,
  type MessageType,
  type ProtocolMessage,
  RUN_SCOPED,
  type RunId,
} from "./messages.js";
import type { ReadContext } from "./read-context.js";
import { checkRound } from "./refusals.js";
import type { VectorEncodingName } from "./vector-codec.js";
import {
  encodeVectorBody,
  encodeVectorFrame,
  envelopeHeader,
  vectorFrameLength,
} from "./vector-frames.js";

export interface EncodeOptions {
  /** The sender's frame counter on this connection: 1, 2, 3... */
  readonly seq: number;
  /** How this frame's vectors are laid out; default float64 (exact). */
  readonly vectorEncoding?: VectorEncodingName;
}

/** One message as one frame: the bytes of an Envelope. Does not validate (the receiver does). */
export function encodeFrame(message: ProtocolMessage, options: EncodeOptions): Uint8Array {
  const encoding = options.vectorEncoding ?? "float64";
  // RoundStart and RoundResult, every round: one buffer, no intermediate copies of the vectors.
  const vectorFrame = encodeVectorFrame(message, options.seq, encoding);
  if (vectorFrame !== undefined) return vectorFrame;
  const envelope = create(EnvelopeSchema, {
    protocolVersion: PROTOCOL_VERSION,
    runId: "runId" in message ? (message.runId ?? "") : "",
    seq: options.seq,
    body: bodyToWire(message, encoding),
  });
  return toBinary(EnvelopeSchema, envelope);
}

/**
 * The bytes of encodeFrame(message, options), counted: RoundStart and RoundResult without
 * building the frame (what the simulator books as the bytes a networked round would send).
 */
export function encodedFrameLength(message: ProtocolMessage, options: EncodeOptions): number {
  return (
    vectorFrameLength(message, options.seq, options.vectorEncoding ?? "float64") ??
    encodeFrame(message, options).byteLength
  );
}

/**
 * A message encoded once for several connections (a round's RoundStart to every node): all of
 * its frame but the seq, which each connection adds with `sharedFrameBytes`.
 */
export interface SharedFrame {
  readonly message: ProtocolMessage;
  readonly vectorEncoding: VectorEncodingName;
  /** The Envelope's body field, encoded (tag, length, message). */
  readonly body: Uint8Array;
}

/** Encodes `message` once for several connections: see SharedFrame. */
export function encodeSharedFrame(
  message: ProtocolMessage,
  vectorEncoding: VectorEncodingName = "float64",
): SharedFrame {
  const body =
    encodeVectorBody(message, vectorEncoding) ??
    toBinary(EnvelopeSchema, create(EnvelopeSchema, { body: bodyToWire(message, vectorEncoding) }));
  return { message, vectorEncoding, body };
}

/**
 * The frame of a shared message with one connection's seq: byte for byte
 * encodeFrame(shared.message, { seq, vectorEncoding: shared.vectorEncoding }), since an
 * Envelope's fields are written in number order (version, run id, seq, then the body).
 */
export function sharedFrameBytes(shared: SharedFrame, seq: number): Uint8Array {
  const message = shared.message;
  const runId = "runId" in message ? (message.runId ?? "") : "";
  const header =
    envelopeHeader(runId, seq) ??
    toBinary(
      EnvelopeSchema,
      create(EnvelopeSchema, { protocolVersion: PROTOCOL_VERSION, runId, seq }),
    );
  const frame = new Uint8Array(header.byteLength + shared.body.byteLength);
  frame.set(header);
  frame.set(shared.body, header.byteLength);
  return frame;
}

function bodyToWire(message: ProtocolMessage, encoding: VectorEncodingName): Envelope["body"] {
  switch (message.type) {
    case "register":
      return { case: "register", value: registerToWire(message) };
    case "setup":
      return { case: "setup", value: setupToWire(message) };
    case "ready":
      return { case: "ready", value: readyToWire(message) };
    case "round-start":
      return {
        case: "roundStart",
        value: roundOrderToWire(message.order, encoding, message.deadlineMs),
      };
    case "round-result":
      return { case: "roundResult", value: roundReportToWire(message.report, encoding) };
    case "stop":
      return { case: "stop", value: stopToWire(message, encoding) };
    case "heartbeat":
      return { case: "heartbeat", value: heartbeatToWire(message) };
    case "error":
      return { case: "error", value: errorToWire(message) };
  }
}

/** What the receiver knows when it reads a frame; every field is optional. */
export interface DecodeContext {
  /** The peer, for error sentences: a node's name, or "aggregator". */
  readonly from?: string;
  /** Largest frame accepted, in bytes; default DEFAULT_MAX_MESSAGE_BYTES (32 MiB). */
  readonly maxMessageBytes?: number;
  /** Number of weights of the current run: every vector must have it (wrong-length). */
  readonly modelSize?: number;
  /** The current run: a message of another run is refused (stale-run); Setup starts a new one. */
  readonly runId?: RunId;
  /** The round a RoundStart or RoundResult must carry (out-of-order otherwise). */
  readonly expectedRound?: number;
}

export type DecodedFrame =
  | { readonly ok: true; readonly seq: number; readonly message: ProtocolMessage }
  | {
      readonly ok: false;
      readonly error: ProtocolError;
      /** Known when the Envelope could be read: for Error.refSeq. */
      readonly seq?: number;
      /** Known when the Envelope could be read. */
      readonly type?: MessageType;
      readonly runId?: RunId;
    };

const bodyTypes: Readonly<Record<NonNullable<Envelope["body"]["case"]>, MessageType>> = {
  register: "register",
  setup: "setup",
  ready: "ready",
  roundStart: "round-start",
  roundResult: "round-result",
  stop: "stop",
  heartbeat: "heartbeat",
  error: "error",
};

/**
 * One frame as a validated message, or the reason it is refused (a ProtocolError with a code):
 * never throws, whatever the bytes. Takes a Uint8Array (a Node Buffer is one) or the ArrayBuffer
 * of a browser WebSocket with `binaryType = "arraybuffer"`.
 *
 * Checks, in order: size (too-large), protobuf (bad-frame), version (wrong-version), message
 * type (unknown-type), run id (missing-field, too-large, stale-run), round (out-of-order), then
 * the message's own fields (map-*.ts).
 */
export function decodeFrame(
  frame: Uint8Array | ArrayBuffer,
  ctx: DecodeContext = {},
): DecodedFrame {
  try {
    return decodeChecked(frame instanceof ArrayBuffer ? new Uint8Array(frame) : frame, ctx);
  } catch (e) {
    // A fault of this code, not of the bytes: still answered as data.
    return {
      ok: false,
      error: protocolError("internal", cannotAccept("frame", ctx.from, "the decoder failed"), {
        detail: e instanceof Error ? e.message : String(e),
      }),
    };
  }
}

function decodeChecked(frame: Uint8Array, ctx: DecodeContext): DecodedFrame {
  const from = ctx.from;
  const max = ctx.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (!(frame instanceof Uint8Array)) {
    return { ok: false, error: frameError("bad-frame", from, "not binary data") };
  }
  if (frame.byteLength > max) {
    return {
      ok: false,
      error: frameError(
        "too-large",
        from,
        `${frame.byteLength} bytes, more than the limit of ${max}`,
      ),
    };
  }
  let envelope: Envelope;
  try {
    envelope = fromBinary(EnvelopeSchema, frame);
  } catch (e) {
    return {
      ok: false,
      error: protocolError("bad-frame", cannotAccept("frame", from, "not a fedtau envelope"), {
        detail: e instanceof Error ? e.message : String(e),
      }),
    };
  }
  const seq = envelope.seq;
  const bodyCase = envelope.body.case;
  const type = bodyCase === undefined ? undefined : bodyTypes[bodyCase];
  const what = type === undefined ? "frame" : MESSAGE_NAMES[type];
  const runId = envelope.runId;
  const refuse = (error: ProtocolError): DecodedFrame => ({
    ok: false,
    error,
    seq,
    ...(type === undefined ? {} : { type }),
    ...(runId === "" ? {} : { runId }),
  });
  const fail = (code: ErrorCode, reason: string, field?: string): DecodedFrame =>
    refuse(protocolError(code, cannotAccept(what, from, reason), field ? { field } : {}));

  if (envelope.protocolVersion !== PROTOCOL_VERSION) {
    return fail(
      "wrong-version",
      `protocol version ${envelope.protocolVersion}, expected ${PROTOCOL_VERSION}`,
      "protocolVersion",
    );
  }
  if (type === undefined) {
    const unknown = envelope.$unknown?.map((f) => f.no) ?? [];
    return fail(
      "unknown-type",
      unknown.length === 0
        ? "it holds no message"
        : `it holds no message this version knows (field ${unknown.join(", ")})`,
    );
  }
  if (runId.length > MAX_RUN_ID_CHARS) {
    return fail(
      "too-large",
      `runId has ${runId.length} characters, more than ${MAX_RUN_ID_CHARS}`,
      "runId",
    );
  }
  if (RUN_SCOPED.has(type) && runId === "") {
    return fail("missing-field", "runId is missing", "runId");
  }
  if (
    ctx.runId !== undefined &&
    runId !== "" &&
    runId !== ctx.runId &&
    type !== "setup" &&
    type !== "register"
  ) {
    return fail("stale-run", `run "${runId}" is not the current run "${ctx.runId}"`, "runId");
  }
  if (
    ctx.expectedRound !== undefined &&
    (envelope.body.case === "roundStart" || envelope.body.case === "roundResult")
  ) {
    // Round 0 is no round at all: the message's own rules refuse it (out-of-range).
    const round = envelope.body.value.round;
    const wrongRound = round >= 1 ? checkRound(what, from, round, ctx.expectedRound) : undefined;
    if (wrongRound !== undefined) return refuse(wrongRound);
  }

  const read: ReadContext = {
    what,
    ...(from === undefined ? {} : { from }),
    ...(ctx.modelSize === undefined ? {} : { modelSize: ctx.modelSize }),
  };
  const checked = readBody(envelope.body as KnownBody, runId, read);
  if (!checked.ok) {
    return {
      ok: false,
      error: checked.error,
      seq,
      type,
      ...(runId === "" ? {} : { runId }),
    };
  }
  return { ok: true, seq, message: checked.value };
}

type KnownBody = Exclude<Envelope["body"], { case: undefined }>;

/** The message of a body of a known type, checked. */
function readBody(body: KnownBody, runId: RunId, read: ReadContext): Checked<ProtocolMessage> {
  const optionalRunId = runId === "" ? undefined : runId;
  switch (body.case) {
    case "register":
      return registerFromWire(body.value, read);
    case "setup":
      return setupFromWire(body.value, runId, read);
    case "ready":
      return readyFromWire(body.value, runId, read);
    case "roundStart": {
      const r = roundOrderFromWire(body.value, read);
      return r.ok ? accepted({ type: "round-start", runId, ...r.value }) : r;
    }
    case "roundResult": {
      const r = roundReportFromWire(body.value, read);
      return r.ok ? accepted({ type: "round-result", runId, report: r.value }) : r;
    }
    case "stop":
      return stopFromWire(body.value, runId, read);
    case "heartbeat":
      return heartbeatFromWire(body.value, optionalRunId, read);
    case "error":
      return errorFromWire(body.value, optionalRunId, read);
  }
}

function frameError(code: ErrorCode, from: string | undefined, reason: string): ProtocolError {
  return protocolError(code, cannotAccept("frame", from, reason));
}
