import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { replayDirectory } from "../record/replay.js";
import type { Aggregator, AggregatorOptions } from "./aggregator.js";
import { loadResumePoint } from "./checkpoint-resume.js";
import type { LearningSetup } from "./learning-setup.js";
import { AggregatorHarness, onRounds } from "./test-support/aggregator-harness.js";
import type { Behaviour } from "./test-support/fake-node.js";
import { loggedRounds, tempDirs } from "./test-support/run-dirs.js";

/**
 * Every networked run leaves a record that replays: controller.json beside rounds.jsonl, in the
 * --out directory of one run, in each run-<k>/ of several, and after a resume.
 */
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

const harness = new AggregatorHarness({
  setup,
  deadlineFloorMs: 300,
  roundTimeoutMs: 3000,
  // Rounds of a few ms would take hundreds of rounds to spend the budget.
  delays: [{ target: "all", ms: 20 }],
});
const tempDir = tempDirs("fedtau-aggregator-record-");
afterEach(() => harness.cleanup());

async function start(
  options: Partial<AggregatorOptions>,
  behave?: (name: string, round: number) => Behaviour,
): Promise<Aggregator> {
  return (await harness.startWith(NAMES, options, behave)).aggregator;
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
      expect(loggedRounds(dir)[2].control.input.lost).toEqual(["c"]);
    }
    const total = loggedRounds(runDirs[0]).length + loggedRounds(runDirs[1]).length;
    expect(replayed(out)).toEqual({ decisions: total, reproduced: total, runs: runDirs });
  });

  it("a resumed adaptive run replays as one: the controller restored is the one replayed", async () => {
    const out = tempDir();
    let first: Aggregator | undefined;
    first = await start({
      out,
      onEvent: onRounds((event) => {
        if (event.round === 3) void first?.close();
      }),
    });
    await first.done;
    harness.dropNodes();
    const point = await loadResumePoint(out);
    expect(point.checkpoint.engine.round).toBe(3);
    const second = await start({ out, resumeFrom: point });
    const [summary] = await second.done;
    expect(summary.status).toBe("completed");
    const recorded = loggedRounds(out);
    expect(recorded.map((e) => e.round)).toEqual(recorded.map((_, i) => i + 1));
    expect(recorded.length).toBeGreaterThan(4);
    expect(new Set(recorded.map((e) => e.tau)).size).toBeGreaterThan(1);
    const n = recorded.length;
    expect(replayed(out)).toEqual({ decisions: n, reproduced: n, runs: [out] });
  });
});
