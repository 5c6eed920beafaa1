import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { assignedRows } from "../core/data/assignment.js";
import { toBatch } from "../core/data/task.js";
import { measuredCosts } from "../core/federation/measured-costs.js";
import { runFederation } from "../core/federation/round-engine.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import type { RunResult } from "../core/federation/run-result.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { createModel } from "../core/models/create-model.js";
import { encodeFrame, type LogEntry } from "../protocol/index.js";
import { createSimulation } from "../sim/create-simulation.js";
import { Aggregator, type AggregatorOptions } from "./aggregator.js";
import type { LearningSetup } from "./learning-setup.js";
import { runConfigOf, setupMessageOf } from "./learning-setup.js";
import { tauChangeLine } from "./round-note.js";
import type { RunSummary } from "./run-summary.js";
import { type Behaviour, FakeNode } from "./test-support/fake-node.js";
import { syntheticSplit } from "./test-support/synthetic-split.js";

const split = syntheticSplit();
const baseSetup: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 1,
  tau: 2,
  sgd: 20,
  eta: 0.1,
  phi: 0.025,
  seed: 3,
  rounds: 6,
};

interface Started {
  readonly aggregator: Aggregator;
  readonly log: LogEntry[];
  readonly events: RoundEvent[];
  readonly results: { summary: RunSummary; result: RunResult }[];
}

const open: Aggregator[] = [];
const nodes: FakeNode[] = [];

afterEach(async () => {
  for (const n of nodes.splice(0)) n.conn.terminate();
  for (const a of open.splice(0)) await a.close();
});

async function start(options: Partial<AggregatorOptions> = {}): Promise<Started> {
  const log: LogEntry[] = [];
  const events: RoundEvent[] = [];
  const results: { summary: RunSummary; result: RunResult }[] = [];
  const aggregator = await Aggregator.start({
    nodes: 3,
    runs: 1,
    setup: baseSetup,
    data: split,
    kernels: referenceKernels,
    deadlineFloorMs: 400,
    roundTimeoutMs: 5000,
    log: (e) => log.push(e),
    onRound: (e) => events.push(e),
    onRunEnd: (summary, result) => results.push({ summary, result }),
    ...options,
  });
  open.push(aggregator);
  return { aggregator, log, events, results };
}

async function node(
  aggregator: Aggregator,
  name: string,
  behave?: (round: number) => Behaviour,
  token?: string,
): Promise<FakeNode> {
  const n = await FakeNode.connect(aggregator.url, {
    id: name,
    split,
    ...(behave === undefined ? {} : { behave }),
    ...(token === undefined ? {} : { token }),
  });
  nodes.push(n);
  return n;
}

/** A raw WebSocket client that sends `frames` and collects what comes back until the close. */
function raw(
  url: string,
  frames: (Uint8Array | string)[],
): Promise<{ code: number; got: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got: Buffer[] = [];
    ws.on("open", () => {
      for (const f of frames) ws.send(f);
    });
    ws.on("message", (data) => got.push(data as Buffer));
    ws.on("close", (code) => resolve({ code, got }));
    ws.on("error", reject);
  });
}

function register(name: string, token = ""): Uint8Array {
  return encodeFrame(
    {
      type: "register",
      id: name,
      token,
      capabilities: { float32Vectors: false, sharePreview: false },
      software: "test",
    },
    { seq: 1 },
  );
}

describe("Aggregator", () => {
  it("runs a federation over WebSocket that equals the simulator's to 1e-12", async () => {
    const { aggregator, results, log, events } = await start();
    for (const name of ["a", "b", "c"]) await node(aggregator, name);
    const [summaries] = await Promise.all([aggregator.done]);
    expect(summaries).toHaveLength(1);
    const { summary, result } = results[0];
    expect(summary.status).toBe("completed");
    expect(summary.rounds).toBe(7); // 6 full rounds and the evaluation-only one
    expect(summary.nodes.map((n) => [n.name, n.roundsReported, n.roundsFailed])).toEqual([
      ["a", 7, 0],
      ["b", 7, 0],
      ["c", 7, 0],
    ]);
    expect(nodes.every((n) => n.stop?.reason === "round-limit")).toBe(true);

    // The simulator, with the same seed and the same assignments.
    const model = createModel(baseSetup.model, split.train.dim, referenceKernels);
    const nodeData = [0, 1, 2].map((i) => {
      const a = setupMessageOf(baseSetup, { runId: "x", modelSize: model.size }, i, 3).data;
      return toBatch(split.train, "even-odd", assignedRows(split.train.labels, a));
    });
    const sim = createSimulation({
      model,
      nodeData,
      eta: baseSetup.eta,
      sgd: { batchSize: 20, carryOver: false },
      seed: baseSetup.seed,
    });
    const simulated = await runFederation(
      runConfigOf(baseSetup, model.size, new Float64Array(model.size)),
      { links: sim.links, costs: measuredCosts() },
    );
    sim.dispose();
    expect(simulated.rounds).toBe(result.rounds);
    let maxDiff = 0;
    for (let k = 0; k < model.size; k++) {
      maxDiff = Math.max(maxDiff, Math.abs(simulated.finalWeights[k] - result.finalWeights[k]));
    }
    expect(maxDiff).toBeLessThanOrEqual(1e-12);
    expect(nodes[0].stop?.finalWeights).toEqual(result.finalWeights);

    // Every message in the log, with its size; bytes counted per round.
    const sent = log.filter((e) => e.kind === "message" && e.direction === "sent");
    expect(sent.filter((e) => e.kind === "message" && e.type === "round-start")).toHaveLength(21);
    expect(result.spent.bytes).toBeGreaterThan(21 * 2 * 8 * 16);
    // The simulator books what the frames of its rounds would take on the wire: with 16
    // weights the headers weigh, and differ by a few bytes (run id, seq, deadline, the fake
    // node's fields); with the 785 of MNIST, a few bytes of 19 kB.
    const measured = result.spent.bytes ?? 0;
    expect(Math.abs((simulated.spent.bytes ?? 0) - measured)).toBeLessThan(0.05 * measured);
    expect(summary).toMatchObject({ budget: null, binding: "rounds" });

    // One note per tau change, not per round: fixed tau 2, then tau 1 for the evaluation round.
    const notes = log.flatMap((e) => (e.kind === "note" ? [e.text] : []));
    const changes = notes.filter((t) => /^round \d+: tau /.test(t));
    expect(changes).toEqual(events.flatMap((e) => tauChangeLine(e) ?? []));
    expect(changes).toEqual([`round 6: ${events[5].control.output.change.text}`]);
    expect(changes[0]).toMatch(/^round 6: tau 2 -> 1: budget spent/);
  });

  it("leaves out a node that sends NaN, misses the deadline or drops, and lets it rejoin", async () => {
    const { aggregator, results, events, log } = await start({
      setup: { ...baseSetup, rounds: 10 },
      // Rounds of some 50 ms: time for "c" to come back before the run ends.
      delays: [{ target: "all", ms: 25 }],
    });
    await node(aggregator, "a");
    await node(aggregator, "b", (r) => (r === 2 ? "nan" : "answer"));
    await node(aggregator, "c", (r) => (r === 3 ? "silent" : r === 5 ? "close" : "answer"));
    // "c" comes back under its name after dropping in round 5.
    const rejoin = (async () => {
      while (!nodes[2].closedWith) await new Promise((r) => setTimeout(r, 10));
      await node(aggregator, "c");
    })();
    await aggregator.done;
    await rejoin;
    const { summary } = results[0];
    expect(summary.status).toBe("completed");
    const failed = (round: number) => events[round - 1].failed.map((f) => [f.id, f.code]);
    expect(failed(2)).toEqual([["b", "invalid-report"]]);
    expect(failed(3)).toEqual([["c", "timeout"]]);
    expect(failed(5)).toEqual([["c", "disconnected"]]);
    // Back from a later round on, with the same part of the data.
    const back = events.findIndex((e, i) => i >= 5 && e.reported.includes("c"));
    expect(back).toBeGreaterThan(4);
    const again = nodes[3].received.find((m) => m.type === "setup");
    expect(again?.type === "setup" && [again.data.nodeIndex, again.data.nodeCount]).toEqual([2, 3]);
    expect(summary.testAccuracy).toBeGreaterThan(0.8);
    const notes = log.filter((e) => e.kind === "note").map((e) => `${e.peer} ${e.text}`);
    expect(notes.some((t) => t.startsWith('c No round result from "c" for round 3 within'))).toBe(
      true,
    );
    expect(notes.some((t) => t.startsWith("c rejoined run"))).toBe(true);
    expect(notes.some((t) => t.includes("left out of round 2: [invalid-report]"))).toBe(true);
  });

  it("refuses bad input with an error code, closes that connection and keeps running", async () => {
    const { aggregator, results } = await start({ token: "s3cret", maxMessageBytes: 4096 });
    const wrongToken = await raw(aggregator.url, [register("x", "guess")]);
    const garbage = await raw(aggregator.url, [new Uint8Array([0xff, 0xff, 0xff, 0x01])]);
    const text = await raw(aggregator.url, ["hello"]);
    const v2 = register("y", "s3cret");
    expect(v2[0]).toBe(0x08); // field 1, protocol_version, varint
    v2[1] = 2;
    const wrongVersion = await raw(aggregator.url, [v2]);
    const tooLarge = await raw(aggregator.url, [new Uint8Array(5000)]);
    const unregistered = await raw(aggregator.url, [
      encodeFrame({ type: "heartbeat", sentAtMs: 1 }, { seq: 1 }),
      encodeFrame({ type: "ready", runId: "r", dataSize: 1, labelHistogram: [] }, { seq: 2 }),
    ]);
    const codeOf = async (r: { got: Buffer[] }) => {
      const { decodeFrame } = await import("../protocol/index.js");
      const d = decodeFrame(r.got[r.got.length - 1]);
      return d.ok && d.message.type === "error" ? d.message.code : undefined;
    };
    expect([wrongToken.code, await codeOf(wrongToken)]).toEqual([1008, "unauthorized"]);
    expect([garbage.code, await codeOf(garbage)]).toEqual([1002, "bad-frame"]);
    expect([text.code, await codeOf(text)]).toEqual([1002, "bad-frame"]);
    expect([wrongVersion.code, await codeOf(wrongVersion)]).toEqual([1002, "wrong-version"]);
    expect([tooLarge.code, await codeOf(tooLarge)]).toEqual([1009, "too-large"]);
    expect([unregistered.code, await codeOf(unregistered)]).toEqual([1002, "unknown-node"]);

    // A node with a wrong-length result in round 2 is closed and left out; the run goes on.
    await node(aggregator, "a", undefined, "s3cret");
    await node(aggregator, "b", undefined, "s3cret");
    const c = await node(aggregator, "c", (r) => (r === 2 ? "wrong-length" : "answer"), "s3cret");
    await aggregator.done;
    expect(c.errors.some((e) => e.startsWith("[wrong-length]"))).toBe(true);
    const { summary, result } = results[0];
    expect(summary.status).toBe("completed");
    expect(result.events[1].failed).toEqual([
      {
        id: "c",
        code: "invalid-report",
        message: 'Cannot accept round result from "c": expected 16 weights, got 15',
      },
    ]);
    expect(summary.nodes[2]).toMatchObject({ name: "c", roundsReported: 1 });
  });

  it("drops a late message of an earlier run without closing the connection", async () => {
    const { aggregator, results, log } = await start({
      runs: 2,
      setup: { ...baseSetup, rounds: 3 },
    });
    const a = await node(aggregator, "a");
    await node(aggregator, "b");
    await node(aggregator, "c");
    // Once run 2 is under way, "a" sends a result of run 1.
    let sentStale = false;
    a.conn.onMessage((r) => {
      if (
        sentStale ||
        !r.ok ||
        r.message.type !== "round-start" ||
        !r.message.runId.endsWith("-2")
      ) {
        return;
      }
      sentStale = true;
      const runId = r.message.runId.replace(/-2$/, "-1");
      a.conn.send({
        type: "round-result",
        runId,
        report: {
          round: 1,
          weights: new Float64Array(16),
          tauDone: 1,
          localSeconds: 0,
          dataSize: 1,
          lossAtGlobal: 0,
          gradAtGlobal: new Float64Array(16),
        },
      });
    });
    await aggregator.done;
    expect(sentStale).toBe(true);
    expect(results.map((r) => r.summary.status)).toEqual(["completed", "completed"]);
    expect(results[1].summary.nodes[0]).toMatchObject({ name: "a", roundsFailed: 0 });
    expect(
      log.some(
        (e) =>
          e.kind === "note" &&
          e.peer === "a" &&
          e.text.includes("dropped") &&
          e.text.includes("is not the current run"),
      ),
    ).toBe(true);
    // Both runs' Stops, then the normal close.
    expect(a.received.filter((m) => m.type === "stop")).toHaveLength(2);
    expect(await a.closed()).toBe(1000);
  });

  it("starts with --min-nodes nodes once no other node has come for a while", async () => {
    const { aggregator, results } = await start({
      nodes: 5,
      minNodes: 2,
      setup: { ...baseSetup, rounds: 2 },
    });
    await node(aggregator, "a");
    await node(aggregator, "b");
    await aggregator.done;
    expect(results[0].summary.nodes.map((n) => n.name)).toEqual(["a", "b"]);
    expect(nodes[0].received.find((m) => m.type === "setup")).toMatchObject({
      data: { nodeIndex: 0, nodeCount: 2 },
    });
  });

  it("changes the added delay of live connections", async () => {
    const { aggregator } = await start({ delays: [{ target: "all", ms: 5 }], runs: 1 });
    const a = await node(aggregator, "a");
    await new Promise((r) => setTimeout(r, 100));
    aggregator.setDelay("a", 40);
    expect(aggregator.delays()).toEqual({ all: 5, nodes: { a: 40 } });
    aggregator.setDelay("all", 0);
    expect(aggregator.delays()).toEqual({ all: 0, nodes: {} });
    expect(a.conn.isOpen).toBe(true);
    await aggregator.close();
  });
});
