import { afterEach, describe, expect, it } from "vitest";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import type { ErrorMessage, ProtocolMessage } from "../protocol/index.js";
import { connectFramed, type FramedConnection } from "../transport/index.js";
import { Aggregator, type AggregatorOptions } from "./aggregator.js";
import type { LearningSetup } from "./learning-setup.js";
import type { RunSummary } from "./run-summary.js";
import { FakeNode } from "./test-support/fake-node.js";
import { syntheticSplit } from "./test-support/synthetic-split.js";

/**
 * The aggregator's admission and limits (docs/security.md): per-node tokens, messages per
 * second per connection, connections per address. Each refusal is an Error with its code, then
 * a close with 1008.
 */
const split = syntheticSplit();
const setup: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 1,
  tau: 2,
  sgd: 20,
  eta: 0.1,
  phi: 0.025,
  seed: 3,
  rounds: 4,
};

const open: Aggregator[] = [];
const conns: FramedConnection[] = [];

afterEach(async () => {
  for (const c of conns.splice(0)) c.terminate();
  for (const a of open.splice(0)) await a.close();
});

async function start(options: Partial<AggregatorOptions>): Promise<Aggregator> {
  const aggregator = await Aggregator.start({
    nodes: 2,
    runs: 1,
    setup,
    data: split,
    kernels: referenceKernels,
    deadlineFloorMs: 400,
    roundTimeoutMs: 5000,
    ...options,
  });
  open.push(aggregator);
  return aggregator;
}

/** A raw client: what it receives, and how its connection closed. */
async function client(url: string) {
  const conn = await connectFramed(url);
  conns.push(conn);
  const got: ProtocolMessage[] = [];
  conn.onMessage((r) => {
    if (r.ok) got.push(r.message);
  });
  const closed = new Promise<number>((resolve) => conn.onClose((c) => resolve(c.code)));
  const register = (nodeName: string, token: string) =>
    conn.send({
      type: "register",
      id: nodeName,
      token,
      capabilities: { float32Vectors: false, sharePreview: false },
      software: "test",
    });
  /** The close code and the code of the last Error received before it. */
  const refusal = async () => {
    const code = await closed;
    const errors = got.filter((m): m is ErrorMessage => m.type === "error");
    return { close: code, error: errors.at(-1)?.code, message: errors.at(-1)?.message };
  };
  return { conn, got, register, refusal };
}

async function runWith(aggregator: Aggregator, nodes: [string, string][]): Promise<RunSummary> {
  const fakes = await Promise.all(
    nodes.map(([name, token]) => FakeNode.connect(aggregator.url, { id: name, token, split })),
  );
  const [summary] = await aggregator.done;
  for (const f of fakes) f.conn.terminate();
  return summary;
}

describe("per-node tokens", () => {
  const nodeTokens = new Map([
    ["a", "token-of-a"],
    ["b", "token-of-b"],
  ]);

  it("admit each node with its own token; refuse another node's token and unknown names", async () => {
    const aggregator = await start({ nodeTokens });
    const stolen = await client(aggregator.url);
    stolen.register("a", "token-of-b");
    const unknown = await client(aggregator.url);
    unknown.register("c", "token-of-a");
    const empty = await client(aggregator.url);
    empty.register("b", "");
    for (const c of [stolen, unknown, empty]) {
      expect(await c.refusal()).toMatchObject({ close: 1008, error: "unauthorized" });
    }
    expect((await stolen.refusal()).message).toBe('Cannot accept register from "a": wrong token');

    const summary = await runWith(aggregator, [
      ["a", "token-of-a"],
      ["b", "token-of-b"],
    ]);
    expect(summary.status).toBe("completed");
    expect(summary.nodes.map((n) => n.name).sort()).toEqual(["a", "b"]);
  });

  it("with a shared token too: unlisted nodes use it, listed nodes still need their own", async () => {
    const aggregator = await start({ nodeTokens, token: "shared" });
    const listed = await client(aggregator.url);
    listed.register("a", "shared");
    expect(await listed.refusal()).toMatchObject({ close: 1008, error: "unauthorized" });
    const summary = await runWith(aggregator, [
      ["a", "token-of-a"],
      ["z", "shared"],
    ]);
    expect(summary.status).toBe("completed");
    expect(summary.nodes.map((n) => n.name).sort()).toEqual(["a", "z"]);
  });
});

describe("a node registering again under its name", () => {
  it("replaces its old connection when it has a token of its own, else is refused name-taken", async () => {
    const aggregator = await start({
      nodes: 3,
      nodeTokens: new Map([["a", "token-of-a"]]),
      token: "shared",
    });
    const old = await client(aggregator.url);
    old.register("a", "token-of-a");
    const first = await client(aggregator.url);
    first.register("z", "shared");
    // Wait until both are registered: a third name would start nothing (nodes: 3).
    for (let i = 0; i < 500 && aggregator.connectedNodes().length < 2; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(aggregator.connectedNodes()).toEqual(["a", "z"]);

    const twin = await client(aggregator.url);
    twin.register("z", "shared");
    expect(await twin.refusal()).toMatchObject({ close: 1002, error: "name-taken" });

    const again = await client(aggregator.url);
    again.register("a", "token-of-a");
    expect((await old.refusal()).close).toBe(1001);
    expect(again.conn.isOpen).toBe(true);
    expect(aggregator.connectedNodes()).toEqual(["a", "z"]);
  });
});

describe("messages per second per connection", () => {
  it("answers a flood with an Error rate-limited and closes; the run goes on", async () => {
    const aggregator = await start({ maxMessagesPerSecond: 1000 });
    const flood = await client(aggregator.url);
    flood.register("flood", "");
    // Far more than a second's worth at once: the bucket holds 1,000.
    for (let i = 0; i < 3000 && flood.conn.isOpen; i++) {
      flood.conn.send({ type: "heartbeat", sentAtMs: i });
    }
    const refusal = await flood.refusal();
    expect(refusal).toMatchObject({ close: 1008, error: "rate-limited" });
    expect(refusal.message).toBe('Cannot accept messages from "flood": more than 1000 per second');
    // Nodes that keep to the rate run as usual under the same limit.
    const summary = await runWith(aggregator, [
      ["a", ""],
      ["b", ""],
    ]);
    expect(summary.status).toBe("completed");
  });
});

describe("connections per address", () => {
  it("refuses one over the limit with an Error too-many-connections, and admits again after a close", async () => {
    const aggregator = await start({ maxConnectionsPerAddress: 2, token: "t" });
    const first = await client(aggregator.url);
    await client(aggregator.url);
    const third = await client(aggregator.url);
    expect(await third.refusal()).toEqual({
      close: 1008,
      error: "too-many-connections",
      message: "Cannot accept a connection from 127.0.0.1: it already has 2 open",
    });
    // One closes: a new connection gets as far as its Register (refused for its token). The
    // aggregator may see the close a moment after this side does: until then, too-many again.
    first.conn.close();
    await first.refusal();
    let verdict: Awaited<ReturnType<Awaited<ReturnType<typeof client>>["refusal"]>>;
    let tries = 0;
    do {
      const again = await client(aggregator.url);
      again.register("x", "wrong");
      verdict = await again.refusal();
      tries++;
    } while (verdict.error === "too-many-connections" && tries < 100);
    expect(verdict).toMatchObject({ close: 1008, error: "unauthorized" });
  });
});
