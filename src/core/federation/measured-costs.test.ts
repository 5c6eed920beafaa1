import { describe, expect, it } from "vitest";
import type { RoundReport } from "../train/round-report.js";
import { measuredCosts } from "./measured-costs.js";

function report(localSeconds: number, tauDone = 4): RoundReport {
  return {
    round: 3,
    weights: new Float64Array(2),
    tauDone,
    localSeconds,
    dataSize: 10,
    lossAtGlobal: 0.5,
    gradAtGlobal: new Float64Array(2),
  };
}

describe("measuredCosts", () => {
  const costs = measuredCosts();

  it("takes the slowest node's local time, and the rest of the wall time as b", () => {
    expect(costs.kind).toBe("measured");
    const c = costs.roundCost({
      round: 3,
      tau: 4,
      reports: [report(0.25), report(0.75), report(0.5)],
      wallSeconds: 1.5,
    });
    expect(c).toEqual({ time: { local: 0.75, aggregation: 0.75 } });
  });

  it("clamps b at 0 when the wall time is shorter than a node's local time", () => {
    const c = costs.roundCost({ round: 1, tau: 1, reports: [report(2)], wallSeconds: 1.5 });
    expect(c.time).toEqual({ local: 2, aggregation: 0 });
  });

  it("adds a bytes resource when bytes were counted", () => {
    const c = costs.roundCost({
      round: 1,
      tau: 1,
      reports: [report(0.5)],
      wallSeconds: 1,
      bytes: 6272,
    });
    expect(c).toEqual({
      time: { local: 0.5, aggregation: 0.5 },
      bytes: { local: 0, aggregation: 6272 },
    });
  });

  it("with in-process nodes, times the round as parallel nodes: engine's own time + slowest call", () => {
    // Three calls that kept the process busy 0.3 + 0.8 + 0.6 s, one after another, and 0.05 s
    // of the engine's own work: parallel nodes would have taken 0.05 + 0.8 s. The slowest local
    // time is 0.75 s, so b = 0.85 - 0.75.
    const c = costs.roundCost({
      round: 3,
      tau: 4,
      reports: [report(0.25), report(0.75), report(0.5)],
      wallSeconds: 1.75,
      inProcess: { totalSeconds: 1.7, slowestSeconds: 0.8 },
    });
    expect(c.time.local).toBe(0.75);
    expect(c.time.aggregation).toBeCloseTo(0.1, 12);
  });

  it("with in-process nodes and none reporting, b is the engine's time and the slowest call", () => {
    const c = costs.roundCost({
      round: 1,
      tau: 1,
      reports: [],
      wallSeconds: 1,
      inProcess: { totalSeconds: 0.9, slowestSeconds: 0.5 },
    });
    expect(c.time).toEqual({ local: 0, aggregation: 0.6 });
  });

  it("charges the whole wall time to aggregation when no node reported", () => {
    const c = costs.roundCost({ round: 1, tau: 1, reports: [], wallSeconds: 2 });
    expect(c.time).toEqual({ local: 0, aggregation: 2 });
  });
});
