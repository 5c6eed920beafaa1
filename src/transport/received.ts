import type { DecodeContext, DecodedFrame } from "../protocol/index.js";

/**
 * What a connection hands its owner for each frame it receives: decodeFrame's answer (a
 * validated message, or the reason the frame is refused: a ProtocolError with a code and the
 * exact sentence) and `bytes`, the frame's size on the wire, WebSocket header included.
 */
export type Received = DecodedFrame & { readonly bytes: number };

/**
 * What the owner expects of the next frames, checked by decodeFrame: the current run (frames of
 * another run are stale-run, Setup excepted), the number of weights (wrong-length), the round
 * (out-of-order).
 */
export type Expectations = Pick<DecodeContext, "runId" | "modelSize" | "expectedRound">;

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
