import { describe, expect, it } from "vitest";
import { PageStore } from "./web/page-store.js";
import type { WireNode, WireSnapshot } from "./wire-types.js";

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
