import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import { encodedFrameLength, type RunId } from "../protocol/index.js";
import { wsFrameBytes } from "./ws-frame-size.js";

/**
 * The bytes a round's two frames take on a node's WebSocket, as a connection's ByteMeter counts
 * them (WebSocket headers included): the one place that computes them, for the simulator's byte
 * count and the round-overhead benchmark.
 */

/** A RoundStart the aggregator sends: a server's frame, unmasked. */
export function roundStartWireBytes(
  runId: RunId,
  order: RoundOrder,
  deadlineMs: number,
  seq: number,
): number {
  const frame = encodedFrameLength({ type: "round-start", runId, order, deadlineMs }, { seq });
  return wsFrameBytes(frame, false);
}

/** A RoundResult a node sends back: a client's frame, masked. */
export function roundResultWireBytes(runId: RunId, report: RoundReport, seq: number): number {
  return wsFrameBytes(encodedFrameLength({ type: "round-result", runId, report }, { seq }), true);
}
