import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineResume, EngineSnapshot } from "../core/federation/engine-snapshot.js";
import { runFederation } from "../core/federation/round-engine.js";
import type { RunConfig } from "../core/federation/run-config.js";
import {
  answer,
  fixedCosts,
  frozenClock,
  ScriptedLink,
} from "../core/federation/test-support/scripted-link.js";
import { checkpointPathOf } from "./checkpoint.js";
import { readCheckpointFile, writeCheckpointFile } from "./checkpoint-file.js";
import { checkResumeFits, loadResumePoint } from "./checkpoint-resume.js";
import type { LearningSetup } from "./learning-setup.js";
import { RunCheckpoint } from "./run-checkpoint.js";
import { RunFiles, runFilePaths } from "./run-files.js";
import { loggedRounds, tempDirs } from "./test-support/run-dirs.js";

const tempDir = tempDirs("fedtau-resume-unit-");

const setup: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 1,
  tau: 3,
  eta: 0.05,
  phi: 0.025,
  seed: 1,
  rounds: 6,
};
const config: RunConfig = {
  modelSize: 4,
  initialWeights: new Float64Array(4),
  eta: 0.05,
  tauMode: 3,
  maxRounds: 6,
};

function links(): ScriptedLink[] {
  return [
    new ScriptedLink("a", 10, answer({ step: 0.1, lossAtGlobal: (o) => 1 / o.round })),
    new ScriptedLink("b", 30, answer({ step: -0.3, lossAtGlobal: (o) => 2 / o.round })),
  ];
}

/**
 * A run as the aggregator makes it, with rounds.jsonl and a checkpoint after every round;
 * stopped after round `stopAfter` (as by a crash right after that checkpoint), or to the end.
 */
async function logged(dir: string, options: { stopAfter?: number; resume?: EngineResume } = {}) {
  const point = options.resume;
  const files = new RunFiles(
    runFilePaths(dir, 1, true),
    point === undefined ? undefined : { bytes: logBytes(dir), lines: point.snapshot.round },
  );
  const checkpoint = new RunCheckpoint(dir, files, {
    run: 1,
    runId: "r-1",
    setup,
    participants: ["a", "b"],
    startedAt: new Date(0),
  });
  const stop = new AbortController();
  const snapshots: EngineSnapshot[] = [];
  const result = await runFederation(config, {
    links: links(),
    costs: fixedCosts(0.01, 0.1),
    clock: frozenClock,
    signal: stop.signal,
    ...(point === undefined ? {} : { resume: point }),
    onRound: (e) => files.appendRound(e),
    onSnapshot: async (s) => {
      snapshots.push(s);
      await checkpoint.save(s, {
        plan: { nodes: 2, minNodes: null, runs: 1, setup, variants: [], idPrefix: "r" },
        wallSeconds: s.round,
        dataSizes: new Map([
          ["a", 10],
          ["b", 30],
        ]),
      });
      if (s.round === options.stopAfter) stop.abort();
    },
  });
  return { result, snapshots, files };
}

function logBytes(dir: string): number {
  return readFileSync(join(dir, "rounds.jsonl")).length;
}

describe("resuming from a checkpoint and rounds.jsonl", () => {
  it("cuts rounds logged after the checkpoint, and the resumed run logs every round once", async () => {
    const whole = tempDir();
    await logged(whole);
    const dir = tempDir();
    const first = await logged(dir, { stopAfter: 3 });
    const bytes = logBytes(dir);
    // The crash came after round 4 was logged (a whole line and half the next) but before its
    // checkpoint was saved.
    appendFileSync(join(dir, "rounds.jsonl"), '{"round":4,"tau":3}\n{"round":5,"ta');

    const point = await loadResumePoint(dir);
    expect(point.cutBytes).toBeGreaterThan(0);
    expect(logBytes(dir)).toBe(bytes);
    expect(point.events.map((e) => e.round)).toEqual([1, 2, 3]);
    expect(point.finished).toBe(false);
    const saved = point.checkpoint;
    expect(saved.log).toEqual({ bytes, lines: 3 });
    expect(saved.run.participants).toEqual(["a", "b"]);
    expect(saved.run.dataSizes).toEqual({ a: 10, b: 30 });
    expect(saved.engine.weights).toEqual(first.snapshots[2].weights);
    expect(saved.engine.controller).toEqual(first.snapshots[2].controller);

    const resumed = await logged(dir, {
      resume: { snapshot: saved.engine, events: point.events },
    });
    expect(resumed.result.status).toBe("completed");
    expect(loggedRounds(dir).map((e) => e.round)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(readFileSync(join(dir, "rounds.jsonl"), "utf8")).toBe(
      readFileSync(join(whole, "rounds.jsonl"), "utf8"),
    );
    const last = (await readCheckpointFile(checkpointPathOf(dir))) as { engine: EngineSnapshot };
    expect(last.engine.controller.plan).toBeNull();
  });

  it("refuses a log shorter than the checkpoint says, or one changed before the offset", async () => {
    const dir = tempDir();
    await logged(dir, { stopAfter: 2 });
    const text = readFileSync(join(dir, "rounds.jsonl"), "utf8");
    const path = checkpointPathOf(dir);

    writeFileSync(join(dir, "rounds.jsonl"), text.slice(0, 10));
    await expect(loadResumePoint(dir)).rejects.toThrow(
      `Cannot resume from ${path}: ${join(dir, "rounds.jsonl")} has 10 bytes, fewer than`,
    );
    writeFileSync(join(dir, "rounds.jsonl"), `x${text.slice(1)}`);
    await expect(loadResumePoint(dir)).rejects.toThrow("line 1 of");
    const lines = text.split("\n");
    writeFileSync(join(dir, "rounds.jsonl"), `${lines[1]}\n${lines[0]}\n`);
    await expect(loadResumePoint(dir)).rejects.toThrow("does not hold rounds 1..2 in order");
  });

  it("says there is nothing to resume once the last run is over and summarised", async () => {
    const dir = tempDir();
    await logged(dir);
    // Between the last checkpoint and summary.json: the run is resumed (to write its files).
    const before = await loadResumePoint(dir);
    expect(before.finished).toBe(false);
    // An empty or cut summary is not a finished run: it is resumed to write its files again.
    for (const cut of ["", '{"runId": "r']) {
      writeFileSync(join(dir, "summary.json"), cut);
      expect((await loadResumePoint(dir)).finished).toBe(false);
    }
    writeFileSync(join(dir, "summary.json"), "{}");
    await expect(loadResumePoint(dir)).rejects.toThrow(
      /^Nothing to resume in .*summary is written/,
    );
  });

  it("names the file of a checkpoint that decodes but is not an aggregator's", async () => {
    const dir = tempDir();
    const path = checkpointPathOf(dir);
    await writeCheckpointFile(path, { plan: {}, log: { bytes: -1 } });
    await expect(loadResumePoint(dir)).rejects.toThrow(
      new RegExp(
        `^The checkpoint ${path} is corrupt: plan.nodes must be an integer >= 1; .*run must be an object`,
      ),
    );
    await expect(loadResumePoint(tempDir())).rejects.toThrow(/^No checkpoint at /);
  });

  it("checkResumeFits lists what differs from the checkpoint's aggregator", async () => {
    const dir = tempDir();
    await logged(dir, { stopAfter: 1 });
    const point = await loadResumePoint(dir);
    expect(() => checkResumeFits(point, { setup, runs: 1, nodes: 2 })).not.toThrow();
    expect(() =>
      checkResumeFits(point, { setup: { ...setup, tau: "adaptive", seed: 2 }, runs: 2, nodes: 2 }),
    ).toThrow(
      `The checkpoint ${point.path} is from another setup (tau: "adaptive" here, 3 in the checkpoint; seed: 2 here, 1 in the checkpoint; runs: 2 here, 1 in the checkpoint)`,
    );
  });
});
