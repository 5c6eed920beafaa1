import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RoundEvent } from "../core/federation/round-event.js";
import type { RunResult } from "../core/federation/run-result.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { Aggregator, type AggregatorOptions } from "./aggregator.js";
import { CheckpointError } from "./checkpoint-file.js";
import { loadResumePoint } from "./checkpoint-resume.js";
import type { LearningSetup } from "./learning-setup.js";
import { FakeNode } from "./test-support/fake-node.js";
import { syntheticSplit } from "./test-support/synthetic-split.js";

/**
 * The in-process aggregator stopped after a round and started again from its checkpoint, with
 * nodes that register anew (their trainers restarted): full-batch gradient descent with a fixed
 * tau and a round limit gives the uninterrupted run's model, bit for bit.
 */
const split = syntheticSplit();
const setup: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 1,
  tau: 2,
  eta: 0.1,
  phi: 0.025,
  seed: 3,
  rounds: 6,
};
const NAMES = ["a", "b", "c"];

const open: Aggregator[] = [];
const nodes: FakeNode[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) n.conn.terminate();
  for (const a of open.splice(0)) await a.close();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fedtau-aggregator-resume-"));
  dirs.push(dir);
  return dir;
}

async function start(options: Partial<AggregatorOptions>): Promise<{
  aggregator: Aggregator;
  results: RunResult[];
}> {
  const results: RunResult[] = [];
  const aggregator = await Aggregator.start({
    nodes: NAMES.length,
    runs: 1,
    setup,
    data: split,
    kernels: referenceKernels,
    deadlineFloorMs: 400,
    roundTimeoutMs: 5000,
    onRunEnd: (_summary, result) => results.push(result),
    ...options,
  });
  open.push(aggregator);
  for (const name of NAMES) nodes.push(await FakeNode.connect(aggregator.url, { id: name, split }));
  return { aggregator, results };
}

function rounds(out: string): RoundEvent[] {
  return readFileSync(join(out, "rounds.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RoundEvent);
}

describe("Aggregator resumeFrom", () => {
  it("goes on from the checkpoint of the round it stopped after, to the uninterrupted model", async () => {
    const whole = await start({ out: tempDir() });
    await whole.aggregator.done;
    const expected = whole.results[0];
    expect(expected.status).toBe("completed");

    const out = tempDir();
    const first = await start({
      out,
      onRound: (event) => {
        if (event.round === 3) void first.aggregator.close();
      },
    });
    await first.aggregator.done;
    expect(first.results[0].status).toBe("cancelled");
    for (const n of nodes.splice(0)) n.conn.terminate();

    const point = await loadResumePoint(out);
    expect(point.checkpoint.engine.round).toBe(3);
    const spentBefore = point.checkpoint.engine.controller.ledger.accounts[0].spent;
    const second = await start({ out, resumeFrom: point });
    const [summary] = await second.aggregator.done;
    const result = second.results[0];
    expect(summary.status).toBe("completed");
    expect(summary.rounds).toBe(7);
    expect(summary.runId).toBe(point.checkpoint.run.runId);
    expect(Array.from(result.finalWeights)).toEqual(Array.from(expected.finalWeights));
    expect(result.spent.time).toBeGreaterThan(spentBefore);
    const events = rounds(out);
    expect(events.map((e) => e.round)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(summary.nodes.map((n) => [n.name, n.roundsReported])).toEqual(NAMES.map((n) => [n, 7]));
  });

  it("refuses a checkpoint of another setup, naming it", async () => {
    const out = tempDir();
    const first = await start({
      out,
      onRound: (event) => {
        if (event.round === 1) void first.aggregator.close();
      },
    });
    await first.aggregator.done;
    const point = await loadResumePoint(out);
    const other = Aggregator.start({
      nodes: 3,
      runs: 1,
      setup: { ...setup, eta: 0.2 },
      data: split,
      kernels: referenceKernels,
      out,
      resumeFrom: point,
    });
    await expect(other).rejects.toBeInstanceOf(CheckpointError);
    await expect(other).rejects.toThrow(
      `The checkpoint ${join(out, "checkpoint.json")} is from another setup (eta: 0.2 here, 0.1 in the checkpoint)`,
    );
  });

  it("a new aggregator in the same directory drops the old checkpoint when its run starts", async () => {
    const out = tempDir();
    const path = join(out, "checkpoint.json");
    const first = await start({
      out,
      onRound: () => void first.aggregator.close(),
    });
    await first.aggregator.done;
    expect(existsSync(path)).toBe(true);
    for (const n of nodes.splice(0)) n.conn.terminate();
    const seen: boolean[] = [];
    const second = await start({ out, onRound: () => seen.push(existsSync(path)) });
    await second.aggregator.done;
    // Round 1's event comes before round 1's checkpoint: the old one is gone by then.
    expect(seen.slice(0, 2)).toEqual([false, true]);
    await expect(loadResumePoint(out)).rejects.toThrow(/Nothing to resume/);
  });
});
