import { afterEach, describe, expect, it } from "vitest";
import { type NodeTrainingRules, nodeTrainingRules } from "../core/control/control-mode.js";
import { assignedRows, type DataAssignment } from "../core/data/assignment.js";
import type { DistributionCase } from "../core/data/partition.js";
import { toBatch } from "../core/data/task.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { createModel } from "../core/models/create-model.js";
import type { RoundOrder } from "../core/train/round-report.js";
import {
  encodeFrame,
  type LogEntry,
  type RoundResultMessage,
  type SetupMessage,
} from "../protocol/index.js";
import { createSimulation } from "../sim/create-simulation.js";
import { EdgeNode, type EdgeNodeOptions } from "./edge-node.js";
import { FakeAggregator } from "./test-support/fake-aggregator.js";
import { tinyDigits } from "./test-support/tiny-digits.js";

const split = tinyDigits(300);
const modelSize = createModel({ kind: "svm" }, 16, referenceKernels).size;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function assignment(nodeIndex: number, nodeCount = 3, kase: DistributionCase = 1): DataAssignment {
  return {
    dataset: "csv:tiny.csv",
    task: "even-odd",
    partition: { kind: "case", case: kase },
    nodeIndex,
    nodeCount,
  };
}

/** A simulation's trainer options under the node's rules (minibatch 20, as the setup). */
function simRules(rules: NodeTrainingRules) {
  return {
    sgd: { batchSize: 20, carryOver: rules.carryOver },
    firstRoundEstimates: rules.firstRoundEstimates,
    gradientNoise: rules.gradientNoise,
  };
}

function setup(runId: string, overrides: Partial<SetupMessage> = {}): SetupMessage {
  return {
    type: "setup",
    runId,
    model: { kind: "svm" },
    modelSize,
    eta: 0.05,
    batchSize: 20,
    data: assignment(1),
    adaptiveTau: true,
    control: "fedtau",
    seed: 11,
    vectorEncoding: "float64",
    ...overrides,
  };
}

function order(round: number, weights: Float64Array, tau = 3): RoundOrder {
  return { round, weights, tau, lastRound: false, prevGlobalWasBest: round > 1 };
}

async function startNode(options: Partial<EdgeNodeOptions> = {}) {
  const aggregator = await FakeAggregator.start();
  cleanups.push(() => aggregator.close());
  const log: LogEntry[] = [];
  const loads: string[] = [];
  const node = new EdgeNode({
    aggregator: aggregator.url,
    id: "n2",
    token: "s3cret",
    kernels: referenceKernels,
    backoff: { initialMs: 5, maxMs: 40 },
    loadSplit: async (spec) => {
      loads.push(spec);
      if (spec !== "csv:tiny.csv" && spec !== "csv:own.csv")
        throw new Error(`no data set "${spec}" here`);
      return spec === "csv:tiny.csv" ? split : tinyDigits(50, 9, "own");
    },
    log: { write: (e) => log.push(e) },
    ...options,
  });
  const exit = node.run();
  cleanups.push(async () => {
    node.stop();
    await exit;
  });
  return { aggregator, node, exit, log, loads };
}

/** A node that has registered, got run-1's Setup and answered Ready. */
async function readyNode(options: Partial<EdgeNodeOptions> = {}) {
  const started = await startNode(options);
  const peer = await started.aggregator.nextPeer();
  await peer.next("register");
  peer.send(setup("run-1"));
  await peer.next("ready");
  return { ...started, peer };
}

const notes = (log: LogEntry[]) => log.filter((e) => e.kind === "note").map((e) => e.text);

describe("EdgeNode against a fake aggregator", () => {
  it("registers, sets up, answers ready, runs rounds like the simulator's node, and exits 0 on stop", async () => {
    const { aggregator, exit, log } = await startNode();
    const peer = await aggregator.nextPeer();
    const register = await peer.next("register");
    expect(register).toEqual({
      type: "register",
      id: "n2",
      token: "s3cret",
      capabilities: { float32Vectors: true, sharePreview: false },
      software: "fedtau 0.1.0 node",
    });

    peer.send(setup("run-1"));
    const ready = await peer.next("ready");
    const rows = assignedRows(split.train.labels, assignment(1));
    expect(ready.dataSize).toBe(rows.length);
    expect(ready.labelHistogram).toHaveLength(10);
    expect(ready.labelHistogram.reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(ready.preview).toBeUndefined();

    // The simulator's node 1 of 3, same seed, same data: the same reports, bit for bit.
    const sim = createSimulation({
      model: createModel({ kind: "svm" }, 16, referenceKernels),
      nodeData: [0, 1, 2].map((i) =>
        toBatch(split.train, "even-odd", assignedRows(split.train.labels, assignment(i))),
      ),
      eta: 0.05,
      // The node's side of fedtau's control rules (the setup's), as a simulation applies them.
      ...simRules(nodeTrainingRules("fedtau", true)),
      seed: 11,
    });
    cleanups.push(() => sim.dispose());
    let w: Float64Array = new Float64Array(modelSize);
    for (let round = 1; round <= 3; round++) {
      const o = order(round, w);
      peer.send({ type: "round-start", runId: "run-1", order: o, deadlineMs: 5000 });
      const result = await peer.next("round-result");
      const expected = sim.trainers[1].runRound(o);
      expect(result.runId).toBe("run-1");
      expect(result.report.round).toBe(round);
      expect(result.report.tauDone).toBe(3);
      expect(Array.from(result.report.weights)).toEqual(Array.from(expected.weights));
      expect(result.report.beta).toEqual(expected.beta);
      expect(result.report.lossAtGlobal).toBe(expected.lossAtGlobal);
      w = result.report.weights;
    }
    peer.send({
      type: "stop",
      runId: "run-1",
      reason: "shutdown",
      finalWeights: w,
      message: "bye",
    });
    expect(await exit).toEqual({ code: 0, message: "Stopped by the aggregator (shutdown): bye" });
    expect((await peer.closed).code).toBe(1000);

    const lines = log.filter((e) => e.kind === "message");
    expect(lines.map((e) => `${e.direction} ${e.type}`)).toEqual([
      "sent register",
      "received setup",
      "sent ready",
      ...[1, 2, 3].flatMap(() => ["received round-start", "sent round-result"]),
      "received stop",
    ]);
    const firstResult = lines.find((e) => e.type === "round-result");
    expect(firstResult).toMatchObject({
      peer: "aggregator",
      round: 1,
      tau: 3,
      dataSize: rows.length,
    });
    expect(firstResult?.bytes).toBeGreaterThan(2 * 8 * modelSize);
  });

  it("in a fixed-tau run reports no beta or rho (no extra evaluation), with the same weights", async () => {
    const { aggregator } = await startNode();
    const peer = await aggregator.nextPeer();
    await peer.next("register");
    peer.send(setup("run-1", { adaptiveTau: false }));
    await peer.next("ready");
    const sim = createSimulation({
      model: createModel({ kind: "svm" }, 16, referenceKernels),
      nodeData: [0, 1, 2].map((i) =>
        toBatch(split.train, "even-odd", assignedRows(split.train.labels, assignment(i))),
      ),
      eta: 0.05,
      ...simRules(nodeTrainingRules("fedtau", false)),
      seed: 11,
    });
    cleanups.push(() => sim.dispose());
    let w: Float64Array = new Float64Array(modelSize);
    for (let round = 1; round <= 3; round++) {
      const o = order(round, w);
      peer.send({ type: "round-start", runId: "run-1", order: o, deadlineMs: 5000 });
      const { report } = await peer.next("round-result");
      const expected = sim.trainers[1].runRound(o);
      expect(Array.from(report.weights)).toEqual(Array.from(expected.weights));
      expect(report.lossAtGlobal).toBe(expected.lossAtGlobal);
      expect(report.lossAtBest).toBe(expected.lossAtBest);
      expect([report.beta, report.rho]).toEqual([undefined, undefined]);
      w = report.weights;
    }
  });
  it("sends a preview only when it opted in", async () => {
    const { aggregator } = await startNode({ sharePreview: true });
    const peer = await aggregator.nextPeer();
    expect((await peer.next("register")).capabilities.sharePreview).toBe(true);
    peer.send(setup("run-1"));
    const ready = await peer.next("ready");
    expect(ready.preview?.height).toBe(4);
    expect(ready.preview?.labels).toHaveLength(8);
    expect(ready.preview?.pixels).toHaveLength(8 * 16);
  });

  it("drops late messages of an old run, starts the new one afresh, and keeps data of the same assignment", async () => {
    const { peer, log, loads } = await readyNode();
    peer.send({
      type: "round-start",
      runId: "run-1",
      order: order(1, new Float64Array(modelSize)),
    });
    await peer.next("round-result");
    peer.send({ type: "stop", runId: "run-1", reason: "round-limit", message: "" });

    // The paper's rules: a fresh trainer has no beta in round 1 (a stale one would).
    peer.send(setup("run-2", { seed: 12, control: "paper" }));
    await peer.next("ready");
    // A late round start of run-1: dropped, not answered.
    peer.send({
      type: "round-start",
      runId: "run-1",
      order: order(2, new Float64Array(modelSize)),
    });
    peer.send({ type: "heartbeat", sentAtMs: 1 });
    const answer = await peer.next("heartbeat");
    expect(answer.runId).toBe("run-2");
    expect(notes(log)).toContain('dropped a late round start of run "run-1"');
    // Round 1 of run-2: a new trainer (no beta in round 1).
    peer.send({
      type: "round-start",
      runId: "run-2",
      order: order(1, new Float64Array(modelSize)),
    });
    const result = await peer.next("round-result");
    expect(result.runId).toBe("run-2");
    expect(result.report.beta).toBeUndefined();
    expect(loads).toEqual(["csv:tiny.csv"]);
    expect(notes(log).filter((t) => /samples/.test(t))).toEqual([
      'loaded 100 samples: part 2/3 of "csv:tiny.csv" (case 1)',
      'kept 100 samples: part 2/3 of "csv:tiny.csv" (case 1)',
    ]);

    // Another assignment: its data are computed again (the data set itself stays loaded).
    peer.send(setup("run-3", { data: assignment(0, 2, 2) }));
    const ready = await peer.next("ready");
    expect(ready.dataSize).toBe(assignedRows(split.train.labels, assignment(0, 2, 2)).length);
    expect(loads).toEqual(["csv:tiny.csv"]);
  });

  it("answers garbage with an error, closes, reconnects and registers again", async () => {
    const { aggregator, log } = await startNode();
    const first = await aggregator.nextPeer();
    await first.next("register");
    first.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]));
    const error = await first.next("error");
    expect(error.code).toBe("bad-frame");
    expect(error.message).toBe('Cannot accept frame from "aggregator": not a fedtau envelope');
    expect((await first.closed).code).toBe(1002);

    const second = await aggregator.nextPeer();
    expect((await second.next("register")).id).toBe("n2");
    // A valid frame with a wrong protocol version, then a wrong-length round start.
    second.send(setup("run-1"));
    await second.next("ready");
    second.send({
      type: "round-start",
      runId: "run-1",
      order: order(1, new Float64Array(modelSize - 1)),
    });
    const wrong = await second.next("error");
    expect(wrong.code).toBe("wrong-length");
    expect(wrong.message).toBe(
      `Cannot accept round start from "aggregator": expected ${modelSize} weights, got ${modelSize - 1}`,
    );
    await second.closed;

    const third = await aggregator.nextPeer();
    await third.next("register");
    const v2 = encodeFrame({ type: "heartbeat", sentAtMs: 1 }, { seq: 1 });
    v2[1] = 2; // field 1 (protocol_version) is the first: varint 1 -> 2
    third.sendRaw(v2);
    expect((await third.next("error")).code).toBe("wrong-version");
    expect(notes(log).some((t) => /reconnecting in \d+ ms/.test(t))).toBe(true);
  });

  it("rejoins the same run after a dropped connection and goes on where it was", async () => {
    const { aggregator, log, exit } = await startNode();
    const first = await aggregator.nextPeer();
    await first.next("register");
    first.send(setup("run-1"));
    await first.next("ready");
    first.send({
      type: "round-start",
      runId: "run-1",
      order: order(1, new Float64Array(modelSize)),
    });
    const r1 = await first.next("round-result");
    first.conn.terminate();

    const second = await aggregator.nextPeer();
    await second.next("register");
    second.send(setup("run-1"));
    await second.next("ready");
    second.send({ type: "round-start", runId: "run-1", order: order(2, r1.report.weights) });
    const r2: RoundResultMessage = await second.next("round-result");
    expect(r2.report.beta).toBeDefined(); // the trainer kept its end point of round 1
    expect(notes(log).filter((t) => /samples/.test(t))).toHaveLength(1);

    // A stop, then a normal close: the node is done.
    second.send({ type: "stop", runId: "run-1", reason: "round-limit", message: "" });
    second.conn.close(1000, "done");
    expect(await exit).toEqual({
      code: 0,
      message: 'The aggregator ended the session after run "run-1" (round-limit)',
    });
  });

  it("exits 1 with the aggregator's sentence when its token is refused", async () => {
    const { aggregator, exit } = await startNode({ token: "wrong" });
    const peer = await aggregator.nextPeer();
    await peer.next("register");
    peer.conn.refuse({
      code: "unauthorized",
      message: 'Cannot accept register from "n2": wrong token',
    });
    expect(await exit).toEqual({
      code: 1,
      message: `Refused by the aggregator at ${aggregator.url}: Cannot accept register from "n2": wrong token`,
    });
  });

  it("says it cannot start a run it cannot load, keeps the reason to itself, and stays connected", async () => {
    const { aggregator, log } = await startNode();
    const peer = await aggregator.nextPeer();
    await peer.next("register");
    peer.send(setup("run-1", { data: { ...assignment(1), dataset: "csv:missing.csv" } }));
    const error = await peer.next("error");
    expect(error).toMatchObject({
      code: "internal",
      runId: "run-1",
      message:
        'Node "n2" cannot start run "run-1": its data could not be loaded (the reason is in the node\'s log)',
    });
    // The reason may quote the data or tell which paths exist: the node's own log only.
    expect(notes(log)).toContain(
      'Node "n2" cannot start run "run-1": no data set "csv:missing.csv" here',
    );
    peer.send(setup("run-2", { modelSize: modelSize + 1 }));
    expect((await peer.next("error")).message).toBe(
      `Node "n2" cannot start run "run-2": the svm model for 16 features has ${modelSize} weights, the setup says ${modelSize + 1}`,
    );
    peer.send({
      type: "round-start",
      runId: "run-2",
      order: order(1, new Float64Array(modelSize + 1)),
    });
    expect((await peer.next("error")).message).toBe(
      'Cannot accept round start from "aggregator": not expected before setup',
    );
    peer.send(setup("run-3"));
    expect((await peer.next("ready")).dataSize).toBe(100);
  });

  it("trains on its own data when given, whatever the assignment", async () => {
    const { aggregator, loads } = await startNode({ ownData: "csv:own.csv" });
    const peer = await aggregator.nextPeer();
    await peer.next("register");
    peer.send(setup("run-1"));
    expect((await peer.next("ready")).dataSize).toBe(50);
    expect(loads).toEqual(["csv:own.csv"]);
  });

  it("keeps trying to connect with back-off until the aggregator is there, and stops when asked", async () => {
    const log: LogEntry[] = [];
    const node = new EdgeNode({
      aggregator: "ws://127.0.0.1:9", // discard port: nothing listens
      id: "lonely",
      backoff: { initialMs: 2, maxMs: 8 },
      log: { write: (e) => log.push(e) },
    });
    const exit = node.run();
    while (notes(log).length < 4) await new Promise((r) => setTimeout(r, 5));
    node.stop("Stopped by the test");
    expect(await exit).toEqual({ code: 0, message: "Stopped by the test" });
    const tries = notes(log).filter((t) => t.startsWith("Cannot connect"));
    expect(tries[0]).toMatch(
      /^Cannot connect to ws:\/\/127\.0\.0\.1:9: .*; trying again in \d+ ms$/,
    );
  });
});

describe("EdgeNode in a long round", () => {
  // The most updates a RoundStart may ask for: without slices the node would run them all
  // before it read the Stop, the deadline or its own stop() (a hostile aggregator's wedge).
  const longOrder = (w: Float64Array) => order(1, w, 1_000_000);

  async function inLongRound(options: Partial<EdgeNodeOptions> = {}, deadlineMs = 600_000) {
    const started = await readyNode(options);
    started.peer.send({
      type: "round-start",
      runId: "run-1",
      order: longOrder(new Float64Array(modelSize)),
      deadlineMs,
    });
    return started;
  }

  /** Resolves once the node has begun the round (it logs the order as it starts it). */
  const running = (log: LogEntry[]) =>
    expect
      .poll(() => log.some((e) => e.kind === "message" && "type" in e && e.type === "round-start"))
      .toBe(true);

  const sentTypes = (log: LogEntry[]) =>
    log.flatMap((e) => (e.kind === "message" && e.direction === "sent" ? [e.type] : []));

  it("reads a Stop that comes during the round, gives the round up and ends", async () => {
    const { peer, exit, log } = await inLongRound();
    await running(log);
    peer.send({ type: "stop", runId: "run-1", reason: "shutdown", message: "bye" });
    expect(await exit).toEqual({ code: 0, message: "Stopped by the aggregator (shutdown): bye" });
    expect(notes(log)).toContain("round 1 (tau 1000000) given up: the run was stopped");
    expect(sentTypes(log)).not.toContain("round-result");
  });

  it("gives the round up at its own deadline and goes on serving its aggregator", async () => {
    // A steady clock that moves 1 s each time it is read: the deadline passes within slices.
    let t = 0;
    const { peer, log } = await inLongRound({ steadyClock: () => (t += 1000) }, 5_000);
    await expect
      .poll(() => notes(log))
      .toContain("round 1 (tau 1000000) given up: its deadline of 5000 ms passed");
    expect(sentTypes(log)).not.toContain("round-result");
    // Still there: the next round runs and is answered.
    peer.send({
      type: "round-start",
      runId: "run-1",
      order: order(2, new Float64Array(modelSize)),
      deadlineMs: 600_000,
    });
    expect((await peer.next("round-result")).report.round).toBe(2);
  });

  it("stops when the operator stops it (SIGINT) during the round", async () => {
    const { node, exit, log } = await inLongRound();
    await running(log);
    node.stop("interrupted");
    expect(await exit).toEqual({ code: 0, message: "interrupted" });
    expect(notes(log)).toContain("round 1 (tau 1000000) given up: the node is stopping");
    expect(sentTypes(log)).not.toContain("round-result");
  });
});
