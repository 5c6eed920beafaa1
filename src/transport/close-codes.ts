import type { ErrorCode } from "../protocol/index.js";

/** The WebSocket close codes fedtau uses (RFC 6455 section 7.4.1). */
export const CloseCode = {
  /** The run or the session is over. */
  Normal: 1000,
  /** The process is going away (shutdown, interrupted). */
  GoingAway: 1001,
  /** The peer broke the protocol: a malformed or unexpected frame. */
  ProtocolError: 1002,
  /** The peer is not allowed: a wrong token, too many messages or connections. */
  PolicyViolation: 1008,
  /** A frame over the size limit. */
  TooBig: 1009,
} as const;

/** The close code that goes with refusing a frame for `code`. */
export function closeCodeFor(code: ErrorCode): number {
  switch (code) {
    case "unauthorized":
    case "rate-limited":
    case "too-many-connections":
      return CloseCode.PolicyViolation;
    case "too-large":
      return CloseCode.TooBig;
    default:
      return CloseCode.ProtocolError;
  }
}
