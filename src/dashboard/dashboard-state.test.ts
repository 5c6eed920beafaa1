import { describe, expect, it } from "vitest";
import { roundEventFixture } from "../aggregator/test-support/round-event-fixture.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { BoundedList } from "./bounded-list.js";
import { ClientQueue } from "./client-queue.js";
import type { DashboardSettings, NodeView } from "./dashboard-source.js";
import { DashboardState } from "./dashboard-state.js";

const settings: DashboardSettings = {
  case: 1,
  budgetSeconds: 30,
  tauMode: "adaptive",
  delayMs: 0,
  running: true,
};

function node(id: string, patch: Partial<NodeView> = {}): NodeView {
  return {
    id,
    online: true,
    dataSize: 10,
    labelHistogram: [5, 5],
    preview: { width: 28, height: 28, pixels: new Uint8Array(2 * 784).fill(7), labels: [0, 1] },
    lastLocalSeconds: null,
    delayMs: 0,
    ...patch,
  };
}

describe("DashboardState", () => {
  it("numbers the changes it applies and ignores those that change nothing", () => {
    const state = new DashboardState(settings);
    expect(state.apply({ type: "run-end", runId: "nope", at: 1, reason: "x" })).toBeNull();
    const change = state.apply({ type: "settings", settings: { ...settings, case: 3 } });
    expect(change?.seq).toBe(1);
    expect(state.snapshot("open")).toMatchObject({ seq: 1, settings: { case: 3 } });
  });

  it("sends a node's preview again only when it changed", () => {
    const state = new DashboardState(settings);
    const first = state.apply({ type: "node", node: node("n1") });
    expect(first?.type === "node" && first.node.preview?.images).toHaveLength(2);
    const same = state.apply({ type: "node", node: node("n1", { lastLocalSeconds: 0.01 }) });
    expect(same?.type === "node" && "preview" in same.node).toBe(false);
    const gone = state.apply({ type: "node", node: node("n1", { preview: null }) });
    expect(gone?.type === "node" && gone.node.preview).toBeNull();
    expect(state.snapshot("open").nodes[0].preview).toBeNull();
  });

  it("caps nodes, preview images and log line length", () => {
    const state = new DashboardState(settings, {
      roundsPerRun: 5,
      logLines: 3,
      logLineChars: 30,
      nodes: 2,
      previewDigits: 1,
      testDigits: 2,
      clientQueue: 4,
      clients: 1,
    });
    for (const id of ["a", "b", "c"]) state.apply({ type: "node", node: node(id) });
    const s = () => state.snapshot("open");
    expect(s().nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(s().nodes[0].preview?.images).toHaveLength(1);
    for (let k = 0; k < 5; k++) {
      state.apply({
        type: "log",
        entry: { kind: "note", time: 0, level: "info", text: `line ${k} ${"x".repeat(40)}` },
      });
    }
    expect(s().log).toHaveLength(3);
    expect(s().log[0].text.length).toBe(30);
    expect(s().log[0].text).toMatch(/line 2 x+…$/);
  });
});

describe("DashboardState round points", () => {
  const event = (round: number, bytes: number): RoundEvent => ({
    ...roundEventFixture({ round, tau: 4, next: 4 }),
    costs: { time: { c: 0.01, b: 0.1 }, bytes: { c: 0, b: 9e4 } },
    spent: { time: round * 0.14, bytes },
    budget: { time: 30, bytes: 3e6 },
  });

  it("sends every budgeted resource's spent and budget with each round", () => {
    const state = new DashboardState(settings);
    const header = {
      id: "r1",
      setup: {
        model: "svm",
        task: "even-odd",
        case: 1,
        tauMode: "adaptive",
        budgetSeconds: 30,
        nodes: 1,
      } as const,
      startedAt: 0,
    };
    state.apply({ type: "run-start", run: header });
    const change = state.apply({ type: "round", runId: "r1", event: event(1, 9e4) });
    expect(change?.type === "round" && change.point.budgets).toEqual([
      { resource: "time", spent: 0.14, budget: 30 },
      { resource: "bytes", spent: 9e4, budget: 3e6 },
    ]);
    // A resource counted but not budgeted, or not finite, has no share to show.
    state.apply({
      type: "round",
      runId: "r1",
      event: { ...event(2, Number.NaN), budget: { time: 30 }, spent: { time: 0.28, bytes: 1 } },
    });
    const points = state.snapshot("open").run?.points ?? [];
    expect(points.map((p) => p.budgets.map((u) => u.resource))).toEqual([
      ["time", "bytes"],
      ["time"],
    ]);
    expect(points[1]).toMatchObject({ spent: 0.28, budget: 30 });
  });
});

describe("DashboardState and the controller panel", () => {
  it("streams each round with its decision and keeps one or two curves per run", () => {
    const state = new DashboardState(settings);
    const setup = {
      model: "svm",
      task: "even-odd",
      case: 1,
      tauMode: "adaptive",
      budgetSeconds: 30,
      nodes: 1,
    } as const;
    state.apply({ type: "run-start", run: { id: "r1", setup, startedAt: 0 } });
    for (let k = 1; k <= 20; k++) {
      const change = state.apply({
        type: "round",
        runId: "r1",
        event: roundEventFixture({
          round: k,
          tau: k,
          next: k + 1,
          search: k < 18 ? undefined : null,
        }),
      });
      expect(change?.type === "round" && change.point.decision?.nextTau).toBe(k + 1);
    }
    const points = state.snapshot("open").run?.points ?? [];
    expect(points).toHaveLength(20);
    expect(points.flatMap((p) => (p.decision ? [p.round] : []))).toEqual([17, 20]);
    expect(points[16].decision?.search?.curve.g).toHaveLength(100);
    expect(points[19].tauChange).toBe("round 20: tau 20 -> 21: b (time) 0.01 -> 0.1");
    // A new run: the one before keeps its points, without decisions.
    state.apply({ type: "run-start", run: { id: "r2", setup, startedAt: 1 } });
    const previous = state.snapshot("open").previousRun?.points ?? [];
    expect(previous).toHaveLength(20);
    expect(previous.some((p) => p.decision !== undefined)).toBe(false);
  });
});

describe("BoundedList", () => {
  it("drops the oldest beyond capacity", () => {
    const list = new BoundedList<number>(3);
    for (let k = 1; k <= 5; k++) list.push(k);
    expect(list.toArray()).toEqual([3, 4, 5]);
    expect(list.dropped).toBe(2);
    expect(list.shift()).toBe(3);
    expect(list.toArray()).toEqual([4, 5]);
  });
});

describe("ClientQueue", () => {
  it("asks for a resync first after dropping changes, then hands out the rest", async () => {
    const q = new ClientQueue(2);
    q.push("a", 1);
    q.push("b", 2);
    q.push("c", 3);
    expect(q.take()).toEqual({ kind: "resync" });
    expect(q.take()).toMatchObject({ text: "b", seq: 2 });
    expect(q.take()).toMatchObject({ text: "c", seq: 3 });
    expect(q.take()).toBeNull();
    const waiting = q.wait(1_000);
    q.push("d", 4);
    expect(await waiting).toBe(true);
    expect(await q.wait(5)).toBe(true); // d is waiting
    q.take();
    expect(await q.wait(5)).toBe(false);
  });
});
