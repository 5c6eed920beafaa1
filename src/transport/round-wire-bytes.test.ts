import { describe, expect, it } from "vitest";
import type { RoundReport } from "../core/train/round-report.js";
import { encodeFrame } from "../protocol/index.js";
import { roundResultWireBytes, roundStartWireBytes } from "./round-wire-bytes.js";
import { wsFrameBytes } from "./ws-frame-size.js";

const weights = new Float64Array(785).fill(0.25);
const order = { round: 3, weights, tau: 7, lastRound: false, prevGlobalWasBest: true };
const report: RoundReport = {
  round: 3,
  weights,
  tauDone: 7,
  localSeconds: 0.01,
  dataSize: 1_600,
  lossAtGlobal: 0.4,
  gradAtGlobal: weights,
  beta: 2,
  rho: 0.5,
};

describe("round wire bytes", () => {
  it("are the encoded frames with the WebSocket header of each direction", () => {
    const start = encodeFrame(
      { type: "round-start", runId: "r1-1", order, deadlineMs: 2_000 },
      { seq: 4 },
    );
    const result = encodeFrame({ type: "round-result", runId: "r1-1", report }, { seq: 5 });
    expect(roundStartWireBytes("r1-1", order, 2_000, 4)).toBe(
      wsFrameBytes(start.byteLength, false),
    );
    expect(roundResultWireBytes("r1-1", report, 5)).toBe(wsFrameBytes(result.byteLength, true));
    // 785 float64 weights out; weights and gradient back, masked: 4 bytes more of header.
    expect(roundStartWireBytes("r1-1", order, 2_000, 4)).toBeGreaterThan(785 * 8);
    expect(roundResultWireBytes("r1-1", report, 5)).toBeGreaterThan(2 * 785 * 8);
  });
});
