import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { RoundEvent } from "../core/federation/round-event.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { replayDirectory } from "../record/replay.js";
import { Aggregator, type AggregatorOptions } from "./aggregator.js";
import { loadResumePoint } from "./checkpoint-resume.js";
import type { LearningSetup } from "./learning-setup.js";
import { type Behaviour, FakeNode } from "./test-support/fake-node.js";
import { syntheticSplit } from "./test-support/synthetic-split.js";

/**
 * Every networked run leaves a record that replays: controller.json beside rounds.jsonl, in the
 * --out directory of one run, in each run-<k>/ of several, and after a resume.
 */
const split = syntheticSplit();
const setup: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 1,
  tau: "adaptive",
  sgd: 20,
  eta: 0.1,
  phi: 0.025,
  seed: 3,
  budget: 0.6,
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
  const dir = mkdtempSync(join(tmpdir(), "fedtau-aggregator-record-"));
  dirs.push(dir);
  return dir;
}

async function start(
  options: Partial<AggregatorOptions>,
  behave?: (name: string, round: number) => Behaviour,
): Promise<Aggregator> {
  const aggregator = await Aggregator.start({
    nodes: NAMES.length,
    runs: 1,
    setup,
    data: split,
    kernels: referenceKernels,
    deadlineFloorMs: 300,
    roundTimeoutMs: 3000,
    // Rounds of a few ms would take hundreds of rounds to spend the budget.
    delays: [{ target: "all", ms: 20 }],
    ...options,
  });
  open.push(aggregator);
  for (const name of NAMES) {
    const node = await FakeNode.connect(aggregator.url, {
      id: name,
      split,
      ...(behave === undefined ? {} : { behave: (round: number) => behave(name, round) }),
    });
    nodes.push(node);
  }
  return aggregator;
}

function events(dir: string): RoundEvent[] {
  return readFileSync(join(dir, "rounds.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RoundEvent);
}

function replayed(dir: string): { decisions: number; reproduced: number; runs: string[] } {
  const r = replayDirectory(dir);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("; "));
  return { decisions: r.decisions, reproduced: r.reproduced, runs: r.runs.map((x) => x.dir) };
}

describe("the aggregator's records", () => {
  it("writes controller.json in every run's directory; each run replays, a lost node included", async () => {
    const out = tempDir();
    const aggregator = await start({ out, runs: 2 }, (name, round) =>
      name === "c" && round === 3 ? "silent" : "answer",
    );
    const summaries = await aggregator.done;
    expect(summaries.map((s) => s.status)).toEqual(["completed", "completed"]);
    const runDirs = [join(out, "run-1"), join(out, "run-2")];
    for (const dir of runDirs) {
      expect(JSON.parse(readFileSync(join(dir, "controller.json"), "utf8"))).toEqual({
        version: 1,
        config: {
          control: "fedtau",
          eta: 0.1,
          phi: 0.025,
          gamma: 0,
          tauMode: "adaptive",
          tauMax: 100,
          useMinLoss: true,
          budget: { time: 0.6 },
          maxRounds: null,
        },
      });
      expect(existsSync(join(dir, "controller.json.tmp"))).toBe(false);
      expect(events(dir)[2].control.input.lost).toEqual(["c"]);
    }
    const total = events(runDirs[0]).length + events(runDirs[1]).length;
    expect(replayed(out)).toEqual({ decisions: total, reproduced: total, runs: runDirs });
  });

  it("a resumed adaptive run replays as one: the controller restored is the one replayed", async () => {
    const out = tempDir();
    const first = await start({
      out,
      onRound: (event) => {
        if (event.round === 3) void first.close();
      },
    });
    await first.done;
    for (const n of nodes.splice(0)) n.conn.terminate();
    const point = await loadResumePoint(out);
    expect(point.checkpoint.engine.round).toBe(3);
    const second = await start({ out, resumeFrom: point });
    const [summary] = await second.done;
    expect(summary.status).toBe("completed");
    const recorded = events(out);
    expect(recorded.map((e) => e.round)).toEqual(recorded.map((_, i) => i + 1));
    expect(recorded.length).toBeGreaterThan(4);
    expect(new Set(recorded.map((e) => e.tau)).size).toBeGreaterThan(1);
    const n = recorded.length;
    expect(replayed(out)).toEqual({ decisions: n, reproduced: n, runs: [out] });
  });
});
