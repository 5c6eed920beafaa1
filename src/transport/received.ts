import type { MessageType, ProtocolError, ProtocolMessage, RunId } from "../protocol/index.js";

/**
 * What a connection hands its owner for each frame it receives: a validated message, or the
 * reason the frame is refused (a ProtocolError with a code and the exact sentence). `bytes` is
 * the frame's size on the wire, WebSocket header included.
 */
export type Received =
  | {
      readonly ok: true;
      readonly message: ProtocolMessage;
      readonly seq: number;
      readonly bytes: number;
    }
  | {
      readonly ok: false;
      readonly error: ProtocolError;
      /** Known when the Envelope could be read: for Error.refSeq. */
      readonly seq?: number;
      /** Known when the Envelope could be read. */
      readonly type?: MessageType;
      readonly runId?: RunId;
      readonly bytes: number;
    };

/** What the owner expects of the next frames; checked by decodeFrame (stale-run, wrong-length...). */
export interface Expectations {
  /** The current run: frames of another run are refused as stale-run (Setup excepted). */
  readonly runId?: RunId;
  /** Number of weights of the current run: every vector must have it (wrong-length). */
  readonly modelSize?: number;
  /** The round a RoundStart or RoundResult must carry (out-of-order). */
  readonly expectedRound?: number;
}

/** How and why a connection closed. */
export interface ConnectionClosed {
  /** The WebSocket close code (1000 normal, 1006 dropped without a close frame...). */
  readonly code: number;
  readonly reason: string;
  /** True when this side asked for the close (close() or terminate()). */
  readonly byUs: boolean;
}

/** One frame this side sent: its sequence number and its size on the wire. */
export interface SentFrame {
  readonly seq: number;
  readonly bytes: number;
}
