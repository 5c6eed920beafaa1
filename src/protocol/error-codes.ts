import { ErrorCode as WireErrorCode } from "./gen/fedtau_pb.js";

/**
 * Why a message was refused, or why a peer cannot go on. The same list as the wire enum
 * `fedtau.v1.ErrorCode` (proto/fedtau.proto), spelled in kebab case for TypeScript.
 */
export const ErrorCode = {
  /** The bytes are not a valid Envelope. */
  BadFrame: "bad-frame",
  /** The Envelope holds no message, or one this version does not know. */
  UnknownType: "unknown-type",
  /** The Envelope's protocol version is not the receiver's. */
  WrongVersion: "wrong-version",
  /** A vector's length is not the model size, or its bytes are not a whole number of values. */
  WrongLength: "wrong-length",
  /** A number that must be finite is NaN or infinite. */
  NotFinite: "not-finite",
  /** The frame, or one of its fields, is over its size limit. */
  TooLarge: "too-large",
  /** The node's token is wrong. */
  Unauthorized: "unauthorized",
  /** A message from a node that has not registered, or that the aggregator does not know. */
  UnknownNode: "unknown-node",
  /** A run-scoped message of a run other than the current one. */
  StaleRun: "stale-run",
  /** A round number other than the expected one. */
  OutOfOrder: "out-of-order",
  /** A required field is absent or empty. */
  MissingField: "missing-field",
  /** An enum field holds a value this version does not know. */
  UnknownEnum: "unknown-enum",
  /** A number is outside its allowed range (tau < 1, eta <= 0, case 5...). */
  OutOfRange: "out-of-range",
  /** A node name that is empty, too long, or has characters outside [A-Za-z0-9._-]. */
  BadName: "bad-name",
  /** Another connected node already has this name. */
  NameTaken: "name-taken",
  /** A valid message that is not expected now (e.g. a round result before ready). */
  Unexpected: "unexpected",
  /** The node did not answer before the round's deadline. */
  Timeout: "timeout",
  /** The sender failed for a reason of its own. */
  Internal: "internal",
  /** The connection sent more messages per second than the receiver allows. */
  RateLimited: "rate-limited",
  /** The sender's address already has as many connections as the receiver allows. */
  TooManyConnections: "too-many-connections",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every code, in wire-enum order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/**
 * A refused message or a failure, as data: never thrown. `message` is the exact sentence for
 * logs and for the Error sent back, e.g.
 * `Cannot accept round result from "n3": expected 784 weights, got 783`.
 */
export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
  /** The field at fault, as a path from the message ("weights", "data.partition.alpha"). */
  readonly field?: string;
  /** More detail for logs (a parser's message...). */
  readonly detail?: string;
}

/** A value or the reason there is none. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ProtocolError };

export function accepted<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function refused<T = never>(error: ProtocolError): Checked<T> {
  return { ok: false, error };
}

/**
 * The sentence of every refusal: `Cannot accept <what> from "<peer>": <reason>` (the `from`
 * part only when the peer is known).
 */
export function cannotAccept(what: string, from: string | undefined, reason: string): string {
  return `Cannot accept ${what}${from === undefined ? "" : ` from "${from}"`}: ${reason}`;
}

export function protocolError(
  code: ErrorCode,
  message: string,
  extra: { readonly field?: string; readonly detail?: string } = {},
): ProtocolError {
  return {
    code,
    message,
    ...(extra.field === undefined ? {} : { field: extra.field }),
    ...(extra.detail === undefined ? {} : { detail: extra.detail }),
  };
}

const toWire: Readonly<Record<ErrorCode, WireErrorCode>> = {
  "bad-frame": WireErrorCode.BAD_FRAME,
  "unknown-type": WireErrorCode.UNKNOWN_TYPE,
  "wrong-version": WireErrorCode.WRONG_VERSION,
  "wrong-length": WireErrorCode.WRONG_LENGTH,
  "not-finite": WireErrorCode.NOT_FINITE,
  "too-large": WireErrorCode.TOO_LARGE,
  unauthorized: WireErrorCode.UNAUTHORIZED,
  "unknown-node": WireErrorCode.UNKNOWN_NODE,
  "stale-run": WireErrorCode.STALE_RUN,
  "out-of-order": WireErrorCode.OUT_OF_ORDER,
  "missing-field": WireErrorCode.MISSING_FIELD,
  "unknown-enum": WireErrorCode.UNKNOWN_ENUM,
  "out-of-range": WireErrorCode.OUT_OF_RANGE,
  "bad-name": WireErrorCode.BAD_NAME,
  "name-taken": WireErrorCode.NAME_TAKEN,
  unexpected: WireErrorCode.UNEXPECTED,
  timeout: WireErrorCode.TIMEOUT,
  internal: WireErrorCode.INTERNAL,
  "rate-limited": WireErrorCode.RATE_LIMITED,
  "too-many-connections": WireErrorCode.TOO_MANY_CONNECTIONS,
};

const fromWire = new Map<number, ErrorCode>(
  Object.entries(toWire).map(([code, wire]) => [wire, code as ErrorCode]),
);

export function errorCodeToWire(code: ErrorCode): WireErrorCode {
  return toWire[code];
}

/** The code of a wire enum value; undefined for UNSPECIFIED and values this version does not know. */
export function errorCodeFromWire(wire: number): ErrorCode | undefined {
  return fromWire.get(wire);
}
