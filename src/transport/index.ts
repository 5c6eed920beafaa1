/**
 * The transport shared by the aggregator and the nodes: framed WebSocket connections (one
 * protobuf Envelope per binary message, single writes, TCP no-delay), byte counting, added delay,
 * decoding at the boundary, and the reconnection back-off. See README.md.
 */
export { Backoff, type BackoffOptions } from "./backoff.js";
export { type ByteCounts, ByteMeter, NO_BYTES } from "./byte-meter.js";
export { CloseCode, closeCodeFor } from "./close-codes.js";
export { type ConnectOptions, connectFramed } from "./connect-framed.js";
export { DelayQueue, type DelayTimers, realTimers } from "./delay-queue.js";
export { FramedConnection, type FramedConnectionOptions } from "./framed-connection.js";
export {
  type AcceptedConnection,
  acceptFramed,
  FramedServer,
  type FramedServerOptions,
} from "./framed-server.js";
export type { ConnectionClosed, Expectations, Received, SentFrame } from "./received.js";
export { roundResultWireBytes, roundStartWireBytes } from "./round-wire-bytes.js";
export { loadCa, loadServerTls, type ServerTls } from "./tls-files.js";
export { listenTls } from "./tls-listener.js";
export { isTrustFailure } from "./tls-trust.js";
export { TokenBucket } from "./token-bucket.js";
export { wsFrameBytes } from "./ws-frame-size.js";
export { WS_COMMON_OPTIONS, wsMaxPayload } from "./ws-options.js";
