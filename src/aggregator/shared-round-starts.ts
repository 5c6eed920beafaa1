import type { RoundOrder } from "../core/train/round-report.js";
import { encodeSharedFrame, type RunId, type SharedFrame } from "../protocol/index.js";

/**
 * A run's RoundStarts, each encoded once for every node of its round rather than once per node:
 * a round sends all of them the same weights, and they differ at most by their deadline (a node
 * with an added delay gets a longer one). Keeps only the current round's.
 */
export function sharedRoundStarts(
  runId: RunId,
): (order: RoundOrder, deadlineMs: number) => SharedFrame {
  let round = 0;
  const byDeadline = new Map<number, SharedFrame>();
  return (order, deadlineMs) => {
    if (order.round !== round) {
      round = order.round;
      byDeadline.clear();
    }
    let frame = byDeadline.get(deadlineMs);
    if (frame === undefined) {
      frame = encodeSharedFrame({ type: "round-start", runId, order, deadlineMs });
      byDeadline.set(deadlineMs, frame);
    }
    return frame;
  };
}
