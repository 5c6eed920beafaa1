import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/aggregator/run-summary.js";
import type { RoundEvent } from "../../src/core/federation/round-event.js";
import { loadDataset } from "../../src/datasets/load-dataset.js";
import { replayDirectory } from "../../src/record/replay.js";
import { simulatedSvmRun } from "./support/simulated-run.js";
import {
  exitWithin,
  type FedtauProcess,
  requireBuild,
  spawnFedtau,
  startAggregator,
  startNode,
} from "./support/spawn-fedtau.js";

/**
 * Crash and resume on 127.0.0.1: an aggregator and five node processes run a fixed-tau run
 * under SGD (the nodes' minibatch streams must go back for a round asked again); the aggregator is killed with SIGKILL after a few rounds and started again with
 * `--resume DIR` on the same port; the nodes reconnect by themselves and the run finishes with
 * every round logged once, the budget spent never going back, and the very model an
 * uninterrupted run gives (nothing measured steers a fixed-tau run with a round limit).
 */
const NODES = 5;
const TAU = 4;
const ROUNDS = 20;
const SEED = 5;
const ETA = 0.05;
const BATCH = 100;
/** Rounds logged before the kill. */
const KILL_AFTER = 4;
/** Test accuracy well above chance for the SVM on MNIST even/odd. */
const SANE_ACCURACY = 0.8;

const processes: FedtauProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fedtau-resume-"));
  dirs.push(dir);
  return dir;
}

function roundLines(out: string): string[] {
  try {
    return readFileSync(join(out, "rounds.jsonl"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** Resolves once rounds.jsonl has `n` lines (polled; a guard against hanging, not a timing). */
async function untilRounds(out: string, n: number, p: FedtauProcess): Promise<void> {
  const end = Date.now() + 60_000;
  while (roundLines(out).length < n) {
    if (Date.now() > end) throw new Error(`No ${n} rounds in ${out}: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function listening(p: FedtauProcess): Promise<string> {
  const end = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (ws:\/\/[\d.]+:\d+)/.exec(p.stdout());
    if (m !== null) return m[1];
    if (p.child.exitCode !== null) throw new Error(`Exited before listening: ${p.stderr()}`);
    if (Date.now() > end) throw new Error(`Not listening: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const learning = [
  "--tau",
  String(TAU),
  "--rounds",
  String(ROUNDS),
  "--seed",
  String(SEED),
  "--eta",
  String(ETA),
  "--sgd",
  String(BATCH),
];

afterAll(() => {
  for (const p of processes) p.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("an aggregator killed with SIGKILL and resumed", () => {
  const out = tempDir();
  let killedAt: number;
  let resumedExit: number | string;
  let nodeExits: (number | string)[];
  let resumedLog: string;

  beforeAll(async () => {
    requireBuild();
    // An added delay keeps the rounds from racing past the kill.
    const { aggregator, url } = await startAggregator([
      ...learning,
      "--nodes",
      String(NODES),
      "--delay",
      "60",
      "--out",
      out,
      "--quiet",
    ]);
    processes.push(aggregator);
    const port = new URL(url).port;
    const nodes = Array.from({ length: NODES }, (_, i) => startNode(url, `n${i + 1}`));
    processes.push(...nodes);
    await untilRounds(out, KILL_AFTER, aggregator);
    aggregator.kill("SIGKILL");
    expect(await exitWithin(aggregator, 10_000)).toBe("SIGKILL");
    killedAt = roundLines(out).length;

    const resumed = spawnFedtau(["aggregator", "--resume", out, "--port", port]);
    processes.push(resumed);
    expect(await listening(resumed)).toBe(url);
    resumedExit = await exitWithin(resumed, 90_000);
    resumedLog = resumed.stdout();
    nodeExits = await Promise.all(nodes.map((n) => exitWithin(n, 15_000)));
  }, 150_000);

  it("goes on after the checkpoint and finishes; the nodes rejoin by themselves and end normally", () => {
    expect(killedAt).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(killedAt).toBeLessThan(ROUNDS);
    expect(resumedExit).toBe(0);
    expect(nodeExits).toEqual(Array(NODES).fill(0));
    expect(resumedLog).toMatch(/resuming run "[^"]+" after round \d+ from /);
    for (let i = 1; i <= NODES; i++) expect(resumedLog).toContain(`n${i} registered`);
  });

  it("logs rounds 1..N and the evaluation round exactly once each, spent time never decreasing", () => {
    const events = roundLines(out).map((l) => JSON.parse(l) as RoundEvent);
    expect(events.map((e) => e.round)).toEqual(Array.from({ length: ROUNDS + 1 }, (_, i) => i + 1));
    expect(events.at(-1)?.evaluationOnly).toBe(true);
    expect(events.filter((e) => e.evaluationOnly)).toHaveLength(1);
    const spent = events.map((e) => e.spent.time);
    for (let i = 1; i < spent.length; i++) expect(spent[i]).toBeGreaterThanOrEqual(spent[i - 1]);
    expect(events.every((e) => e.reported.length === NODES)).toBe(true);
  });

  it("leaves a record that replays as one run: every decision reproduced", () => {
    const replay = replayDirectory(out);
    if (!replay.ok) throw new Error(replay.problems.map((p) => p.message).join("; "));
    expect(replay.decisions).toBe(ROUNDS + 1);
    expect(replay.reproduced).toBe(ROUNDS + 1);
  });

  it("ends with a sane model: the one an uninterrupted run gives", async () => {
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.status).toBe("completed");
    expect(summary.rounds).toBe(ROUNDS + 1);
    expect(summary.testAccuracy).toBeGreaterThan(SANE_ACCURACY);
    expect(summary.nodes.every((n) => n.dataSize > 0 && n.roundsReported === ROUNDS + 1)).toBe(
      true,
    );
    const networked = (
      JSON.parse(readFileSync(join(out, "weights.json"), "utf8")) as {
        weights: number[];
      }
    ).weights;

    // The same run on the simulator, never interrupted.
    const split = await loadDataset("mnist");
    const whole = await simulatedSvmRun({
      split,
      case: 1,
      nodes: NODES,
      eta: ETA,
      seed: SEED,
      tau: TAU,
      rounds: ROUNDS,
      batchSize: BATCH,
    });
    expect(whole.status).toBe("completed");
    expect(networked).toEqual(Array.from(whole.finalWeights));
  }, 60_000);
});

describe("fedtau aggregator --resume refuses what it cannot resume", () => {
  async function refused(args: readonly string[]): Promise<string> {
    const p = spawnFedtau(["aggregator", "--port", "0", "--quiet", ...args]);
    processes.push(p);
    expect(await exitWithin(p, 30_000)).toBe(1);
    return p.stderr();
  }

  it("a directory without a checkpoint", async () => {
    const dir = tempDir();
    const err = await refused(["--resume", dir]);
    expect(err).toContain(`No checkpoint at ${join(dir, "checkpoint.json")}`);
  });

  it("a corrupt checkpoint", async () => {
    const dir = tempDir();
    const path = join(dir, "checkpoint.json");
    writeFileSync(
      path,
      '{"format":"fedtau-checkpoint","version":1,"bytes":10,"sha256":"00"}\n{"pl',
    );
    const err = await refused(["--resume", dir]);
    expect(err).toContain(`The checkpoint ${path} is corrupt`);
  });

  it("a checkpoint of another setup, when the flags say otherwise", async () => {
    const dir = tempDir();
    const one = await startAggregator([
      ...learning,
      "--nodes",
      "1",
      "--delay",
      "40",
      "--out",
      dir,
      "--quiet",
    ]);
    processes.push(one.aggregator);
    const solo = startNode(one.url, "solo");
    processes.push(solo);
    await untilRounds(dir, 2, one.aggregator);
    one.aggregator.kill("SIGKILL");
    solo.kill("SIGKILL");
    await exitWithin(one.aggregator, 10_000);
    const err = await refused(["--resume", dir, "--tau", "5", "--seed", String(SEED)]);
    expect(err).toContain(
      `Cannot resume from ${join(dir, "checkpoint.json")}: --tau [5] given, [4]`,
    );
    expect(err).not.toContain("--seed");
  });
});
