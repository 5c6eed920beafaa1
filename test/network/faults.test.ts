import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  decodeFrame,
  type ErrorMessage,
  encodeFrame,
  type ProtocolMessage,
  type RoundStartMessage,
  type SetupMessage,
} from "../../src/protocol/index.js";
import { connectFramed, type FramedConnection } from "../../src/transport/index.js";

/**
 * Faults and bad input against real processes on 127.0.0.1: `fedtau aggregator` and `fedtau node`
 * (the compiled dist/, built by `npm test`'s pretest), plus scripted clients that misbehave. In
 * every case the run must finish with a sane model.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin", "fedtau.js");
/** A guard against hanging, not a measurement. */
const PATIENCE_MS = 30_000;

/** Test accuracy well above chance for the SVM on MNIST even/odd. */
const SANE_ACCURACY = 0.8;

interface Proc {
  readonly child: ChildProcess;
  readonly name: string;
  readonly lines: string[];
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first stdout line matching `re`, waiting for it if need be. */
  waitFor(re: RegExp): Promise<string>;
}

const procs: Proc[] = [];
let outDir: string;

function fedtau(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, FEDTAU_TOKEN: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let partial = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const proc: Proc = {
    child,
    name,
    lines,
    stderr: "",
    exited: new Promise((resolve) =>
      child.on("exit", (code, signal) => {
        for (const w of waiters.splice(0)) w();
        resolve({ code, signal });
      }),
    ),
    waitFor: (re) =>
      withPatience(
        new Promise<string>((resolve, reject) => {
          const check = () => {
            const hit = lines.find((l) => re.test(l));
            if (hit !== undefined) resolve(hit);
            else if (child.exitCode !== null || child.signalCode !== null) {
              reject(
                new Error(
                  `${name} exited without printing ${re}:\n${lines.join("\n")}\n${proc.stderr}`,
                ),
              );
            } else waiters.push(check);
          };
          check();
        }),
        `${name} to print ${re}`,
      ),
  };
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    proc.stderr += chunk;
  });
  procs.push(proc);
  return proc;
}

function withPatience<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Gave up waiting for ${what}`)), PATIENCE_MS);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

/** An aggregator on a free port of 127.0.0.1; resolves with it and its address. */
async function aggregator(name: string, args: readonly string[]) {
  const out = join(outDir, name);
  const proc = fedtau(`aggregator ${name}`, ["aggregator", "--port", "0", "--out", out, ...args]);
  const line = await proc.waitFor(/listening on ws:\/\/127\.0\.0\.1:\d+/);
  const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
  return { proc, url, out };
}

function node(
  url: string,
  name: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
) {
  return fedtau(name, ["node", "--aggregator", url, "--name", name, ...args], env);
}

async function finishedRun(agg: { proc: Proc; out: string }) {
  const exit = await withPatience(agg.proc.exited, `${agg.proc.name} to exit`);
  expect(exit, `${agg.proc.lines.join("\n")}\n${agg.proc.stderr}`).toEqual({
    code: 0,
    signal: null,
  });
  const summary = JSON.parse(await readFile(join(agg.out, "summary.json"), "utf8"));
  expect(summary.status).toBe("completed");
  expect(summary.testAccuracy).toBeGreaterThan(SANE_ACCURACY);
  return summary as {
    rounds: number;
    testAccuracy: number;
    nodes: { name: string; roundsReported: number; roundsFailed: number }[];
  };
}

/** A raw WebSocket client: sends what it is told, collects what comes back until closed. */
async function rawClient(url: string) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const received: ProtocolMessage[] = [];
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  ws.on("message", (data) => {
    const d = decodeFrame(data as Buffer);
    if (d.ok) received.push(d.message);
  });
  ws.on("error", () => {});
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return {
    send: (bytes: Uint8Array | string) => ws.send(bytes),
    /** The close code, once the aggregator closed, and every message it sent before. */
    done: async () => ({ code: await withPatience(closed, "the aggregator to close"), received }),
  };
}

const register = (nodeName: string, token = ""): ProtocolMessage => ({
  type: "register",
  id: nodeName,
  token,
  capabilities: { float32Vectors: false, sharePreview: false },
  software: "faults.test scripted client",
});

/**
 * A node played by the test over the transport: registers, answers Setup with a Ready and each
 * RoundStart with `answer(start, setup)` (a RoundResult however broken), until closed.
 */
async function scriptedNode(
  url: string,
  name: string,
  answer: (start: RoundStartMessage, setup: SetupMessage) => ProtocolMessage,
) {
  const conn: FramedConnection = await connectFramed(url);
  const errors: ErrorMessage[] = [];
  let setup: SetupMessage | undefined;
  conn.onMessage((r) => {
    if (!r.ok) return;
    const m = r.message;
    if (m.type === "setup") {
      setup = m;
      conn.expectations = { runId: m.runId, modelSize: m.modelSize };
      conn.send({ type: "ready", runId: m.runId, dataSize: 100, labelHistogram: [] });
    } else if (m.type === "round-start" && setup !== undefined) {
      conn.send(answer(m, setup));
    } else if (m.type === "error") {
      errors.push(m);
    }
  });
  const closed = new Promise<number>((resolve) => conn.onClose((c) => resolve(c.code)));
  conn.send(register(name));
  return { conn, errors, closed };
}

function result(start: RoundStartMessage, weights: Float64Array): ProtocolMessage {
  return {
    type: "round-result",
    runId: start.runId,
    report: {
      round: start.order.round,
      weights,
      tauDone: start.order.tau,
      localSeconds: 0.001,
      dataSize: 100,
      lossAtGlobal: 0.5,
      gradAtGlobal: new Float64Array(weights.length),
    },
  };
}

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "cli", "main.js"))) {
    throw new Error("dist/ is missing: run `npm run build` (npm test does it) before these tests");
  }
  outDir = await mkdtemp(join(tmpdir(), "fedtau-faults-"));
});

afterEach(() => {
  for (const p of procs.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  }
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

// Full-batch gradient descent, fixed tau, a few rounds: reaches about 0.83-0.86 on MNIST even/odd.
const RUN = ["--rounds", "8", "--tau", "10"];

describe("faults on the network", () => {
  it("finishes the run when a node is killed mid-round, leaving it out of that round", async () => {
    const agg = await aggregator("killed", ["--nodes", "3", ...RUN]);
    const n1 = node(agg.url, "n1", ["--quiet"]);
    const n2 = node(agg.url, "n2", ["--quiet"]);
    // n3 holds every message 300 ms each way: killed after it got round 3, its result never goes.
    const n3 = node(agg.url, "n3", ["--delay", "300"]);
    await n3.waitFor(/<- aggregator round-start \S+ round 3 /);
    n3.child.kill("SIGKILL");

    const summary = await finishedRun(agg);
    expect(agg.proc.lines.some((l) => /!! n3 left out of round 3: \[disconnected\]/.test(l))).toBe(
      true,
    );
    const n3Summary = summary.nodes.find((n) => n.name === "n3")!;
    expect(n3Summary.roundsReported).toBe(2);
    expect(n3Summary.roundsFailed).toBeGreaterThanOrEqual(1);
    expect(await n1.exited).toEqual({ code: 0, signal: null });
    expect(await n2.exited).toEqual({ code: 0, signal: null });
  });

  it("refuses garbage, a wrong token and a wrong version with an error and a close, and keeps running", async () => {
    const agg = await aggregator("bad-clients", ["--nodes", "2", "--token", "s3cret", ...RUN]);

    const garbage = await rawClient(agg.url);
    garbage.send(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    const g = await garbage.done();
    expect(g.code).not.toBe(1000);
    expect(g.received).toHaveLength(1);
    expect(g.received[0]).toMatchObject({ type: "error", code: "bad-frame" });
    expect((g.received[0] as ErrorMessage).message).toMatch(
      /^Cannot accept frame from "127\.0\.0\.1:\d+": not a fedtau envelope$/,
    );

    // A wrong token is refused before anything else: the garbage after it is never answered.
    const intruder = await rawClient(agg.url);
    intruder.send(encodeFrame(register("intruder", "guess"), { seq: 1 }));
    intruder.send("more garbage");
    const t = await intruder.done();
    expect(t.received).toEqual([
      expect.objectContaining({
        type: "error",
        code: "unauthorized",
        message: 'Cannot accept register from "intruder": wrong token',
      }),
    ]);
    expect(t.code).toBe(1008);

    const future = await rawClient(agg.url);
    const v2 = encodeFrame(register("future", "s3cret"), { seq: 1 });
    expect(v2[0]).toBe(0x08); // field 1, varint: protocol_version
    v2[1] = 2;
    future.send(v2);
    const v = await future.done();
    expect(v.received).toEqual([
      expect.objectContaining({
        type: "error",
        code: "wrong-version",
        message: expect.stringMatching(/protocol version 2, expected 1$/),
      }),
    ]);

    // A real node with a wrong token: exits non-zero, saying why.
    const refused = node(agg.url, "n9", ["--token", "nope"]);
    expect((await withPatience(refused.exited, "n9 to exit")).code).toBe(1);
    expect(refused.stderr).toContain(
      `fedtau node: Refused by the aggregator at ${agg.url}: Cannot accept register from "n9": wrong token`,
    );

    // The good nodes (token from --token and from FEDTAU_TOKEN); garbage again mid-run.
    const n1 = node(agg.url, "n1", ["--token", "s3cret", "--quiet"]);
    const n2 = node(agg.url, "n2", ["--log", "json"], { FEDTAU_TOKEN: "s3cret" });
    await n2.waitFor(/"type":"round-start".*"round":2[,}]/);
    const midRun = await rawClient(agg.url);
    midRun.send(new Uint8Array([0x0a, 0xff, 0xff]));
    expect((await midRun.done()).received[0]).toMatchObject({ type: "error", code: "bad-frame" });

    const summary = await finishedRun(agg);
    expect(summary.nodes.map((n) => [n.name, n.roundsFailed])).toEqual(
      expect.arrayContaining([
        ["n1", 0],
        ["n2", 0],
      ]),
    );
    expect(await n1.exited).toEqual({ code: 0, signal: null });
    expect(await n2.exited).toEqual({ code: 0, signal: null });
    // --log json: one JSON object per line.
    for (const l of n2.lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it("leaves out a node that sends a wrong-length vector or NaN weights, and finishes", async () => {
    const agg = await aggregator("bad-results", ["--nodes", "4", ...RUN]);
    const n1 = node(agg.url, "n1", ["--quiet"]);
    const n2 = node(agg.url, "n2", ["--quiet"]);
    const nan = await scriptedNode(agg.url, "nan", (start) =>
      result(start, new Float64Array(start.order.weights.length).fill(Number.NaN)),
    );
    const short = await scriptedNode(agg.url, "short", (start) =>
      start.order.round < 2
        ? result(start, start.order.weights)
        : result(start, start.order.weights.subarray(1)),
    );

    const summary = await finishedRun(agg);
    // The wrong-length result is refused with a code and the connection closed.
    expect(await withPatience(short.closed, "short to be closed")).not.toBe(1000);
    expect(short.errors).toEqual([
      expect.objectContaining({
        code: "wrong-length",
        message: expect.stringMatching(
          /^Cannot accept round result from "short": expected \d+ weights, got \d+$/,
        ),
      }),
    ]);
    expect(agg.proc.lines.some((l) => /!! short left out of round 2: /.test(l))).toBe(true);
    // NaN weights: left out of every round, never disconnected.
    expect(
      agg.proc.lines.some((l) => /!! nan left out of round 1: \[invalid-report\]/.test(l)),
    ).toBe(true);
    const byName = new Map(summary.nodes.map((n) => [n.name, n]));
    expect(byName.get("nan")).toMatchObject({ roundsReported: 0, roundsFailed: summary.rounds });
    expect(byName.get("short")?.roundsReported).toBe(1);
    expect(nan.errors).toEqual([]);
    nan.conn.terminate();
    expect(await n1.exited).toEqual({ code: 0, signal: null });
    expect(await n2.exited).toEqual({ code: 0, signal: null });
  });
});
