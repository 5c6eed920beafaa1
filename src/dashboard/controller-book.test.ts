import { describe, expect, it } from "vitest";
import {
  roundEventFixture,
  searchFixture,
} from "../aggregator/test-support/round-event-fixture.js";
import { decidedPoint, runPoints, searchView } from "./controller-view.js";
import { ControllerBook, curveMarks } from "./web/controller-book.js";
import type { RunSetup, WireChange, WireRun, WireSnapshot } from "./wire-types.js";

const setup: RunSetup = {
  model: "svm",
  task: "even-odd",
  case: 1,
  tauMode: "adaptive",
  budgetSeconds: 60,
  nodes: 1,
};

function run(id: string, points: WireRun["points"] = []): WireRun {
  return { id, setup, startedAt: 0, endedAt: null, endReason: null, points };
}

function snapshot(current: WireRun | null): WireSnapshot {
  return {
    seq: 0,
    epoch: "e",
    access: "open",
    limits: { roundsPerRun: 100, logLines: 10 },
    settings: { case: 1, budgetSeconds: 60, tauMode: "adaptive", delayMs: 0, running: true },
    run: current,
    previousRun: null,
    nodes: [],
    test: null,
    log: [],
  };
}

let seq = 0;
const round = (runId: string, k: number, tau: number, next: number | null): WireChange => ({
  seq: ++seq,
  type: "round",
  runId,
  point: decidedPoint(roundEventFixture({ round: k, tau, next })),
});

describe("ControllerBook", () => {
  it("lists why tau changed, newest first, only the changes, at most `limit`", () => {
    const book = new ControllerBook(3);
    book.load(snapshot(run("r1")));
    // tau: 1 -> 2 -> 2 -> 3 -> 3 -> 4 -> 5
    const taus = [1, 2, 2, 3, 3, 4, 5];
    for (let k = 1; k < taus.length; k++) book.apply(round("r1", k, taus[k - 1], taus[k]));
    expect(book.reasons.map((r) => r.round)).toEqual([6, 5, 3]);
    expect(book.reasons[0].text).toBe("round 6: tau 4 -> 5: b (time) 0.01 -> 0.1");
    expect(book.latest?.round).toBe(6);
    // A round sent twice, and one of another run, change nothing.
    book.apply(round("r1", 6, 4, 9));
    book.apply(round("r0", 7, 5, 9));
    expect(book.reasons.map((r) => r.round)).toEqual([6, 5, 3]);
    expect(book.latest?.decision.nextTau).toBe(5);
  });

  it("starts afresh with a run, and keeps the latest curve after the last rounds", () => {
    const book = new ControllerBook();
    const events = [
      roundEventFixture({ round: 1, tau: 1, next: 38 }),
      roundEventFixture({ round: 2, tau: 38, next: 9, binding: "time" }),
      roundEventFixture({ round: 3, tau: 9, next: 1, search: null }),
    ];
    book.load(snapshot(run("r1", runPoints(events))));
    expect(book.reasons.map((r) => r.round)).toEqual([3, 2, 1]);
    expect(book.latest?.round).toBe(3);
    expect(book.searched?.round).toBe(2);
    expect(book.searched?.decision.binding).toBe("time");
    book.dirty = false;
    book.apply({ seq: ++seq, type: "run-start", run: run("r2") });
    expect(book).toMatchObject({ latest: null, searched: null, reasons: [], dirty: true });
    book.apply(round("r2", 1, 1, 1));
    expect(book.reasons).toEqual([]);
    expect(book.latest?.decision.nextTau).toBe(1);
  });

  it("marks the chosen tau on the curve, and the argmin when it differs", () => {
    const search = searchView(searchFixture({ argmin: 87 }), 87);
    expect(curveMarks(search, 87)).toEqual({ chosen: 86, argmin: null });
    expect(search.curve.tau[86]).toBe(87);
    // The budget spread the bound's choice: both marked.
    const spread = searchView(searchFixture({ argmin: 87 }), 60);
    const marks = curveMarks(spread, 60);
    expect(spread.curve.tau[marks.chosen ?? -1]).toBe(60);
    expect(spread.curve.tau[marks.argmin ?? -1]).toBe(87);
    // A chosen tau whose bound is not finite (no point of the curve) is not marked.
    const short = searchView(searchFixture({ beta: 1e6, argmin: 9 }), 90);
    expect(curveMarks(short, 90)).toEqual({ chosen: null, argmin: 8 });
  });
});
