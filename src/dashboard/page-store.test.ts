import { describe, expect, it } from "vitest";
import { budgetLines, resourcesOf } from "./web/budget-lines.js";
import { PageStore } from "./web/page-store.js";
import type { BudgetUse, RoundPoint, WireNode, WireRun, WireSnapshot } from "./wire-types.js";

const node: WireNode = {
  id: "n1",
  online: true,
  dataSize: 10,
  labelHistogram: [1, 2],
  preview: { width: 28, height: 28, images: ["AAAA"], labels: [3] },
  lastLocalSeconds: null,
  delayMs: 0,
};

const snapshot: WireSnapshot = {
  seq: 4,
  epoch: "e",
  access: "open",
  limits: { roundsPerRun: 10, logLines: 5 },
  settings: { case: 1, budgetSeconds: 30, tauMode: "adaptive", delayMs: 0, running: true },
  run: null,
  previousRun: null,
  nodes: [node],
  test: null,
  log: [],
};

describe("PageStore", () => {
  it("keeps a node's preview when an update leaves it out", () => {
    const store = new PageStore();
    store.load(snapshot);
    const { preview: _, ...rest } = node;
    store.apply({ seq: 5, type: "node", node: { ...rest, lastLocalSeconds: 0.02 } });
    expect(store.nodes.get("n1")).toMatchObject({ lastLocalSeconds: 0.02, preview: node.preview });
    expect(store.dirty.has("nodes")).toBe(true);
  });

  it("bounds the log and asks for a full redraw when far behind", () => {
    const store = new PageStore();
    store.load(snapshot);
    expect(store.takeNewLogLines()).toBeNull(); // after a load: draw whole
    for (let k = 0; k < 3; k++) {
      store.apply({ seq: 5 + k, type: "log", line: { time: k, tone: "info", text: `l${k}` } });
    }
    expect(store.takeNewLogLines()?.map((l) => l.text)).toEqual(["l0", "l1", "l2"]);
    for (let k = 0; k < 20; k++) {
      store.apply({ seq: 10 + k, type: "log", line: { time: k, tone: "info", text: `m${k}` } });
    }
    expect(store.log.length).toBeLessThanOrEqual(6);
    expect(store.log.at(-1)?.text).toBe("m19");
    expect(store.takeNewLogLines()).toBeNull();
  });

  it("moves the current run behind a new one and plots its rounds", () => {
    const store = new PageStore();
    store.load(snapshot);
    const setup = {
      model: "svm",
      task: "even-odd",
      case: 1,
      tauMode: "adaptive",
      budgetSeconds: 30,
      nodes: 5,
    } as const;
    const run = (id: string) => ({
      id,
      setup,
      startedAt: 0,
      endedAt: null,
      endReason: null,
      points: [],
    });
    store.apply({ seq: 5, type: "run-start", run: run("r1") });
    store.apply({ seq: 6, type: "run-start", run: run("r2") });
    expect(store.previousRun?.id).toBe("r1");
    expect(store.run?.id).toBe("r2");
  });
});

describe("PageStore budget series", () => {
  const setup = {
    model: "svm",
    task: "even-odd",
    case: 1,
    tauMode: "adaptive",
    budgetSeconds: 30,
    nodes: 5,
  } as const;
  const point = (round: number, budgets: BudgetUse[]): RoundPoint => ({
    round,
    tauChange: null,
    kind: "full",
    tau: 1,
    tauDone: 1,
    loss: 0.5,
    testLoss: null,
    accuracy: null,
    beta: null,
    delta: null,
    rho: null,
    c: 0.01,
    b: 0.1,
    spent: budgets.find((u) => u.resource === "time")?.spent ?? null,
    budget: 30,
    budgets,
    wallSeconds: 0.1,
    reported: 5,
    failed: 0,
    fault: null,
  });
  const run = (id: string, points: RoundPoint[]): WireRun => ({
    id,
    setup,
    startedAt: 0,
    endedAt: null,
    endReason: null,
    points,
  });
  const both = (round: number) => [
    { resource: "time", spent: 3 * round, budget: 30 },
    { resource: "bytes", spent: 1e5 * round, budget: 5e5 },
  ];

  it("plots each budgeted resource's share spent, one named series per resource", () => {
    const store = new PageStore();
    store.load({ ...snapshot, run: run("r1", [point(1, both(1))]) });
    store.dirty.clear();
    store.apply({ seq: 5, type: "round", runId: "r1", point: point(2, both(2)) });
    expect(store.dirty.has("charts")).toBe(true);
    const rounds = store.run!.rounds;
    expect(rounds.column("share-time")).toEqual([0.1, 0.2]);
    expect(rounds.column("share-bytes")).toEqual([0.2, 0.4]);
    const lines = budgetLines(resourcesOf(rounds, null));
    expect(lines.map((l) => [l.metric, l.label])).toEqual([
      ["share-time", "time"],
      ["share-bytes", "bytes"],
    ]);
    expect(new Set(lines.map((l) => l.rgb)).size).toBe(2);
  });

  it("keeps one time series for a time budget alone, and the previous run's resources", () => {
    const store = new PageStore();
    store.load({ ...snapshot, run: run("r1", [point(1, both(1))]) });
    store.apply({ seq: 5, type: "run-start", run: run("r2", []) });
    // Before its first round the new run draws the previous run's resources behind it.
    expect(resourcesOf(store.run!.rounds, store.previousRun!.rounds)).toEqual(["time", "bytes"]);
    store.apply({
      seq: 6,
      type: "round",
      runId: "r2",
      point: point(1, [{ resource: "time", spent: 6, budget: 60 }]),
    });
    expect(store.run!.rounds.resources).toEqual(["time"]);
    expect(store.run!.rounds.latest("share-time")).toBe(0.1);
    expect(budgetLines(resourcesOf(store.run!.rounds, null)).map((l) => l.label)).toEqual(["time"]);
    // No budget at all (fixed tau with --rounds): still a time line, empty.
    expect(budgetLines([]).map((l) => l.metric)).toEqual(["share-time"]);
  });
});
