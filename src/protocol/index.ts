/**
 * The wire protocol of fedtau (proto/fedtau.proto, docs/protocol.md): frames, messages, error
 * codes, vector encoding. Web-standard APIs only: runs in Node and in the dashboard.
 */
export {
  type Checked,
  cannotAccept,
  ERROR_CODES,
  ErrorCode,
  errorCodeFromWire,
  errorCodeToWire,
  type ProtocolError,
  protocolError,
} from "./error-codes.js";
export { errorReply } from "./error-reply.js";
export {
  type DecodeContext,
  type DecodedFrame,
  decodeFrame,
  type EncodeOptions,
  encodedFrameLength,
  encodeFrame,
  encodeSharedFrame,
  type SharedFrame,
  sharedFrameBytes,
} from "./frame-codec.js";
export * from "./limits.js";
export { roundReportFromWire, roundReportToWire } from "./map-round-result.js";
export { roundOrderFromWire, roundOrderToWire } from "./map-round-start.js";
export * from "./message-log.js";
export type * from "./messages.js";
export { MESSAGE_NAMES, RUN_SCOPED } from "./messages.js";
export * from "./refusals.js";
export {
  BYTES_PER_VALUE,
  decodeVector,
  encodeVector,
  isLittleEndianHost,
  makeVectorCodec,
  VECTOR_ENCODINGS,
  type VectorCodec,
  type VectorEncodingName,
  vectorCodec,
  vectorLength,
} from "./vector-codec.js";
