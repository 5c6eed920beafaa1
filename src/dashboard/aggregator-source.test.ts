import { describe, expect, it } from "vitest";
import { Aggregator } from "../aggregator/aggregator.js";
import type { AggregatorEvent, NodeStatus } from "../aggregator/aggregator-events.js";
import type { DelayTarget } from "../aggregator/delay-table.js";
import type { LearningSetup } from "../aggregator/learning-setup.js";
import { roundEventFixture } from "../aggregator/test-support/round-event-fixture.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { EdgeNode } from "../node/index.js";
import { noteLogEntry } from "../protocol/message-log.js";
import { AggregatorSource, type ControlledAggregator } from "./aggregator-source.js";
import type { DashboardChange } from "./dashboard-source.js";
import { DashboardState } from "./dashboard-state.js";
import { dashboardSourceCases } from "./test-support/dashboard-source-cases.js";
import { svmSetup } from "./test-support/svm-setup.js";

dashboardSourceCases("AggregatorSource over a real aggregator", ({ setup, data, nodes }) => {
  const source = new AggregatorSource({ setup });
  let aggregator: Aggregator | undefined;
  const edges: EdgeNode[] = [];
  return {
    source,
    async start() {
      aggregator = await Aggregator.start({
        nodes,
        runs: 0,
        setup,
        data,
        kernels: referenceKernels,
        watchSample: 8,
        log: source.log,
        onEvent: source.onEvent,
      });
      source.attach(aggregator);
      for (let k = 1; k <= nodes; k++) {
        const node = new EdgeNode({
          aggregator: aggregator.url,
          id: `n${k}`,
          loadSplit: async () => data,
          kernels: referenceKernels,
        });
        edges.push(node);
        void node.run();
      }
    },
    async close() {
      await aggregator?.close();
      for (const node of edges) node.stop();
    },
  };
});

const setup = svmSetup();

const status = (id: string, patch: Partial<NodeStatus> = {}): NodeStatus => ({
  id,
  online: true,
  dataSize: 1600,
  labelHistogram: [160, 160, 160, 160, 160, 160, 160, 160, 160, 160],
  preview: null,
  lastLocalSeconds: null,
  delayMs: 30,
  ...patch,
});

const round = (n: number): RoundEvent => roundEventFixture({ round: n, tau: 4, next: 4 });

/** A stand-in for the aggregator that records the calls the controls make. */
class StandIn implements ControlledAggregator {
  readonly calls: string[] = [];
  runsPaused = false;
  learningSetup = setup;
  delayAll = 30;
  nodes = [status("n1"), status("n2")];
  setDelay(target: DelayTarget, ms: number): void {
    this.calls.push(`delay ${target} ${ms}`);
    if (target === "all") this.delayAll = ms;
  }
  delays(): { all: number } {
    return { all: this.delayAll };
  }
  updateSetup(patch: Partial<LearningSetup>): void {
    this.calls.push(`setup ${JSON.stringify(patch)}`);
    this.learningSetup = { ...this.learningSetup, ...patch };
  }
  restartRun(): void {
    this.calls.push("restart");
  }
  pauseRuns(): void {
    this.calls.push("pause");
    this.runsPaused = true;
  }
  resumeRuns(): void {
    this.calls.push("resume");
    this.runsPaused = false;
  }
  nodeStatuses(): NodeStatus[] {
    return this.nodes;
  }
}

/** The source attached to a stand-in, with the dashboard's fold of its changes. */
function started() {
  const terminal: string[] = [];
  const source = new AggregatorSource({
    setup,
    delayMs: 30,
    log: (e) => terminal.push(e.kind === "note" ? e.text : e.type),
  });
  const changes: DashboardChange[] = [];
  const state = new DashboardState(source.settings());
  source.subscribe((c) => {
    changes.push(c);
    state.apply(c);
  });
  const aggregator = new StandIn();
  source.attach(aggregator);
  const notes = () =>
    changes.flatMap((c) => (c.type === "log" && c.entry.kind === "note" ? [c.entry.text] : []));
  return { source, changes, aggregator, terminal, state, notes };
}

const runStart: AggregatorEvent = {
  type: "run-start",
  runId: "r-1",
  run: 1,
  setup,
  budgetSeconds: 60,
  nodes: ["n1", "n2"],
  sample: [
    { image: new Uint8Array(784), truth: "even" },
    { image: new Uint8Array(784).fill(9), truth: "odd" },
  ],
  at: 1000,
};

describe("AggregatorSource", () => {
  it("shows the controls' values from the setup, and the nodes known when attached", () => {
    const { source, state } = started();
    expect(source.settings()).toEqual({
      case: 1,
      budgetSeconds: 60,
      tauMode: "adaptive",
      delayMs: 30,
      running: true,
    });
    expect(state.snapshot("open").nodes.map((n) => n.id)).toEqual(["n1", "n2"]);
  });

  it("turns runs, rounds with verdicts, nodes and log entries into changes", () => {
    const { source, changes, terminal, state } = started();
    changes.length = 0;
    source.onEvent(runStart);
    source.onEvent({
      type: "round",
      runId: "r-1",
      run: 1,
      event: round(1),
      verdicts: ["even", "even"],
    });
    source.onEvent({ type: "node", node: status("n1", { lastLocalSeconds: 0.004 }) });
    source.log(noteLogEntry(2000, "info", "hello"));
    expect(changes.map((c) => c.type)).toEqual([
      "test-digits",
      "run-start",
      "round",
      "predictions",
      "node",
      "log",
    ]);
    expect(terminal).toEqual(["hello"]);
    const s = state.snapshot("open");
    expect(s.run).toMatchObject({
      id: "r-1",
      setup: {
        model: "svm",
        task: "even-odd",
        case: 1,
        tauMode: "adaptive",
        budgetSeconds: 60,
        nodes: 2,
      },
      startedAt: 1000,
      endedAt: null,
    });
    expect(s.run?.points).toHaveLength(1);
    expect(s.test).toMatchObject({ verdicts: ["even", "even"], round: 1, accuracy: 0.8 });
    expect(s.test?.digits.map((d) => d.truth)).toEqual(["even", "odd"]);
    expect(s.nodes.find((n) => n.id === "n1")?.lastLocalSeconds).toBe(0.004);

    // The same sample again: no new test digits.
    changes.length = 0;
    source.onEvent({ ...runStart, runId: "r-2", run: 2 });
    expect(changes.map((c) => c.type)).toEqual(["run-start"]);
    source.onEvent({
      type: "run-end",
      runId: "r-2",
      run: 2,
      reason: "operator",
      at: 3000,
      summary: {} as never,
      result: {} as never,
    });
    expect(state.snapshot("open").run).toMatchObject({ id: "r-2", endReason: "operator" });
    expect(state.snapshot("open").previousRun?.id).toBe("r-1");
  });

  it("shows no test digits for samples that are not 28 x 28 images", () => {
    const { source, changes } = started();
    source.onEvent({ ...runStart, sample: [{ image: null, truth: "1.5" }] });
    expect(changes.find((c) => c.type === "test-digits")).toEqual({
      type: "test-digits",
      digits: [],
    });
  });

  it("restarts the run for a new case or tau mode, and applies delay and budget", async () => {
    const { source, aggregator, state, notes } = started();
    expect(await source.control({ type: "set-case", case: 2 })).toEqual({ ok: true });
    expect(await source.control({ type: "set-tau", tau: 5 })).toEqual({ ok: true });
    expect(await source.control({ type: "set-budget", seconds: 20 })).toEqual({ ok: true });
    expect(await source.control({ type: "set-delay", ms: 300 })).toEqual({ ok: true });
    expect(await source.control({ type: "set-delay", ms: 100, node: "n2" })).toEqual({ ok: true });
    expect(aggregator.calls).toEqual([
      'setup {"case":2}',
      "restart",
      'setup {"tau":5}',
      "restart",
      'setup {"budget":20}',
      "delay all 300",
      "delay n2 100",
    ]);
    // Derived from the aggregator's setup, and streamed to the page.
    const expected = { case: 2, tauMode: 5, budgetSeconds: 20, delayMs: 300 };
    expect(source.settings()).toMatchObject(expected);
    expect(state.snapshot("open").settings).toMatchObject(expected);
    // The log says what the controls did.
    expect(notes()).toContain("dashboard: case 2: the run restarts with the new partition");
  });

  it("changes the time budget only, keeping a byte budget, and shows the time budget", async () => {
    const withBytes = svmSetup({ budget: { time: 30, bytes: 3e6 } });
    const source = new AggregatorSource({ setup: withBytes });
    const notes: string[] = [];
    source.subscribe((c) => {
      if (c.type === "log" && c.entry.kind === "note") notes.push(c.entry.text);
    });
    expect(source.settings().budgetSeconds).toBe(30);
    const aggregator = new StandIn();
    aggregator.learningSetup = withBytes;
    source.attach(aggregator);
    expect(await source.control({ type: "set-budget", seconds: 20 })).toEqual({ ok: true });
    expect(aggregator.calls).toEqual(['setup {"budget":{"time":20,"bytes":3000000}}']);
    expect(source.settings().budgetSeconds).toBe(20);
    expect(notes).toContain("dashboard: budget time 20 s, bytes 3 MB, from the next run on");
  });

  it("refuses a delay for an unknown node, and pauses and resumes", async () => {
    const { source, aggregator, state } = started();
    expect(await source.control({ type: "set-delay", ms: 5, node: "n9" })).toEqual({
      ok: false,
      message: 'No node "n9"',
    });
    await source.control({ type: "stop" });
    expect(source.settings().running).toBe(false);
    expect(state.snapshot("open").settings.running).toBe(false);
    await source.control({ type: "start" });
    expect(source.settings().running).toBe(true);
    expect(state.snapshot("open").settings.running).toBe(true);
    expect(aggregator.calls).toEqual(["pause", "resume"]);
  });

  it("refuses commands before an aggregator is attached", async () => {
    const source = new AggregatorSource({ setup });
    expect(await source.control({ type: "stop" })).toMatchObject({ ok: false });
  });
});
