import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replayDirectory } from "../record/replay.js";
import { RECORDS_DIR, recordName, runExperiment } from "./run-experiment.js";

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "fedtau-experiment-record-"));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("fedtau experiment --record", () => {
  it("keeps every run's record under OUT/runs/, and every decision replays", async () => {
    const out = await freshDir();
    const result = await runExperiment({
      nodes: 3,
      cases: [1, 4],
      taus: ["adaptive", 4],
      budget: 1.5,
      sgd: 20,
      seed: 3,
      out,
      record: true,
    });
    const names = ["svm-case1-adaptive", "svm-case1-tau4", "svm-case4-adaptive", "svm-case4-tau4"];
    expect((await readdir(join(out, RECORDS_DIR))).sort()).toEqual(names);
    const lines = (await readFile(join(out, RECORDS_DIR, names[0], "rounds.jsonl"), "utf8"))
      .trim()
      .split("\n");
    const adaptiveRounds = result.rounds.filter((r) => r.case === 1 && r.tauMode === "adaptive");
    expect(lines).toHaveLength(adaptiveRounds.length);
    const controller = JSON.parse(
      await readFile(join(out, RECORDS_DIR, names[0], "controller.json"), "utf8"),
    );
    expect(controller).toEqual({
      version: 1,
      config: {
        control: "fedtau",
        eta: 0.01,
        phi: 0.025,
        gamma: 0,
        tauMode: "adaptive",
        tauMax: 100,
        useMinLoss: true,
        budget: { time: 1.5 },
        maxRounds: null,
      },
    });

    const replay = replayDirectory(out);
    if (!replay.ok) throw new Error(replay.problems.map((p) => p.message).join("; "));
    expect(replay.runs.map((r) => r.dir)).toEqual(names.map((n) => join(out, RECORDS_DIR, n)));
    expect(replay.decisions).toBe(result.rounds.length);
    expect(replay.reproduced).toBe(result.rounds.length);
  });

  it("needs an output directory", async () => {
    await expect(runExperiment({ cases: [1], taus: [2], record: true })).rejects.toThrow(
      "Keeping the runs' records needs a directory to write them into (--out)",
    );
  });

  it("names a run's record by model, case and tau setting, safe for a file name", () => {
    const spec = { minibatches: "shared" } as const;
    expect(recordName({ ...spec, index: 0, model: "svm", case: 2, tauMode: "adaptive" })).toBe(
      "svm-case2-adaptive",
    );
    expect(recordName({ ...spec, index: 5, model: "mlp:64", case: 3, tauMode: 10 })).toBe(
      "mlp-64-case3-tau10",
    );
    expect(
      recordName({ index: 6, model: "svm", case: 3, tauMode: 10, minibatches: "independent" }),
    ).toBe("svm-case3-independent-tau10");
  });
});
