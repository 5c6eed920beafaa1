import { describe, expect, it } from "vitest";
import { alignRuns, RunSeries } from "./web/run-series.js";
import type { RoundPoint } from "./wire-types.js";

function point(round: number, loss: number | null = 1 / round): RoundPoint {
  return {
    round,
    kind: "full",
    tau: round,
    tauDone: round,
    loss,
    testLoss: null,
    accuracy: 0.5,
    beta: null,
    delta: null,
    rho: null,
    c: 0.001,
    b: round === 2 ? 0 : 0.01,
    spent: round,
    budget: 30,
    budgets: [{ resource: "time", spent: round, budget: 30 }],
    wallSeconds: 0.01,
    reported: 5,
    failed: 0,
    fault: null,
    tauChange: null,
  };
}

const rounds = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => point(from + k));

describe("RunSeries", () => {
  it("keeps the latest rounds within capacity (plus a little slack) as columns", () => {
    const s = RunSeries.of(rounds(1, 1_000), 100);
    expect(s.length).toBeLessThanOrEqual(110);
    expect(s.length).toBeGreaterThanOrEqual(100);
    expect(s.rounds.at(-1)).toBe(1_000);
    expect(s.values.tau.at(-1)).toBe(1_000);
    expect(s.values.loss).toHaveLength(s.length);
  });

  it("ignores a round it already holds and finds the latest value", () => {
    const s = RunSeries.of([point(1), point(2), point(2), point(3, null)], 10);
    expect(s.rounds).toEqual([1, 2, 3]);
    expect(s.latest("loss")).toBe(0.5);
  });
});

describe("RunSeries budget shares", () => {
  const withBytes = (round: number): RoundPoint => ({
    ...point(round),
    budgets: [
      { resource: "time", spent: round, budget: 30 },
      { resource: "bytes", spent: round * 1e5, budget: 1e6 },
    ],
  });

  it("keeps one share column per budgeted resource, null before it appears", () => {
    const s = RunSeries.of([point(1), withBytes(2), withBytes(3)], 10);
    expect(s.resources).toEqual(["time", "bytes"]);
    expect(s.column("share-time")).toEqual([1 / 30, 2 / 30, 3 / 30]);
    expect(s.column("share-bytes")).toEqual([null, 0.2, 0.3]);
    expect(s.column("share-energy")).toEqual([]);
    expect(s.latest("share-bytes")).toBe(0.3);
    expect(s.latestBudgets.map((u) => u.resource)).toEqual(["time", "bytes"]);
  });

  it("trims the share columns with the rounds", () => {
    const s = RunSeries.of(
      Array.from({ length: 50 }, (_, k) => withBytes(k + 1)),
      10,
    );
    expect(s.column("share-bytes")).toHaveLength(s.length);
    expect(s.latest("share-bytes")).toBe(5);
  });

  it("aligns the share columns of two runs like any other", () => {
    const cur = RunSeries.of([withBytes(1), withBytes(2)], 10);
    const prev = RunSeries.of(rounds(1, 3), 10);
    const [x, curBytes, prevBytes] = alignRuns(cur, prev, ["share-bytes"]);
    expect(x).toEqual([1, 2, 3]);
    expect(curBytes).toEqual([0.1, 0.2, null]);
    expect(prevBytes).toEqual([null, null, null]);
  });
});

describe("alignRuns", () => {
  it("puts both runs on one x axis of rounds, current columns first", () => {
    const cur = RunSeries.of(rounds(1, 3), 10);
    const prev = RunSeries.of(rounds(1, 5), 10);
    const [x, curTau, prevTau] = alignRuns(cur, prev, ["tau"]);
    expect(x).toEqual([1, 2, 3, 4, 5]);
    expect(curTau).toEqual([1, 2, 3, null, null]);
    expect(prevTau).toEqual([1, 2, 3, 4, 5]);
  });

  it("leaves out the previous run's rounds before the current run's window", () => {
    const cur = RunSeries.of(rounds(1, 60), 20); // holds rounds 41..60 or so
    const prev = RunSeries.of(rounds(1, 100), 200);
    const [x, curTau] = alignRuns(cur, prev, ["tau"]);
    expect(x[0]).toBe(cur.rounds[0]);
    expect(x.at(-1)).toBe(100);
    expect(curTau[0]).toBe(cur.rounds[0]);
  });

  it("blanks values the chart cannot show (log scale)", () => {
    const cur = RunSeries.of(rounds(1, 3), 10);
    const [, b] = alignRuns(cur, null, ["b"], (v) => v > 0);
    expect(b).toEqual([0.01, null, 0.01]);
  });

  it("handles no runs at all", () => {
    expect(alignRuns(null, null, ["loss", "testLoss"])).toEqual([[], [], [], [], []]);
  });
});
