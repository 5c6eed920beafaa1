import { describe, expect, it } from "vitest";
import type { RoundOrder } from "../core/train/round-report.js";
import { encodeFrame, sharedFrameBytes } from "../protocol/index.js";
import { sharedRoundStarts } from "./shared-round-starts.js";

function order(round: number, value: number): RoundOrder {
  return {
    round,
    weights: new Float64Array(8).fill(value),
    tau: 2,
    lastRound: false,
    prevGlobalWasBest: false,
  };
}

describe("sharedRoundStarts", () => {
  it("encodes a round's RoundStart once per deadline and forgets it at the next round", () => {
    const roundStart = sharedRoundStarts("run-3");
    const first = roundStart(order(1, 0.5), 2000);
    // Another node of round 1: its own copy of the same weights.
    expect(roundStart(order(1, 0.5), 2000)).toBe(first);
    const delayed = roundStart(order(1, 0.5), 2400);
    expect(delayed).not.toBe(first);
    expect(sharedFrameBytes(delayed, 9)).toEqual(
      encodeFrame(
        { type: "round-start", runId: "run-3", order: order(1, 0.5), deadlineMs: 2400 },
        { seq: 9 },
      ),
    );
    const next = roundStart(order(2, 0.25), 2000);
    expect(next).not.toBe(first);
    expect(next.message).toEqual({
      type: "round-start",
      runId: "run-3",
      order: order(2, 0.25),
      deadlineMs: 2000,
    });
  });
});
