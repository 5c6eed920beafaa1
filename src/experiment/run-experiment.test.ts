import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RESULT_FILES } from "./experiment-files.js";
import type { ExperimentProgress } from "./experiment-progress.js";
import { runExperiment } from "./run-experiment.js";

const tiny = {
  nodes: 3,
  cases: [1, 4] as const,
  taus: ["adaptive", 1, 5] as const,
  budget: 1.5,
  sgd: 50,
  seed: 7,
};

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "fedtau-experiment-"));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function readAll(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of RESULT_FILES) out[f] = await readFile(join(dir, f), "utf8");
  return out;
}

describe("runExperiment", () => {
  it("gives identical files for equal settings with simulated costs, report timestamp aside", async () => {
    const [a, b] = [await freshDir(), await freshDir()];
    const events: ExperimentProgress[] = [];
    const first = await runExperiment(
      { ...tiny, cases: [...tiny.cases], taus: [...tiny.taus], out: a, now: () => new Date(0) },
      (e) => events.push(e),
    );
    await runExperiment({
      ...tiny,
      cases: [...tiny.cases],
      taus: [...tiny.taus],
      out: b,
      now: () => new Date(86_400_000),
    });
    const fa = await readAll(a);
    const fb = await readAll(b);
    for (const f of ["results.csv", "results.json", "rounds.csv"] as const)
      expect(fa[f]).toBe(fb[f]);
    expect(fa["report.html"]).toContain("1970-01-01T00:00:00.000Z");
    expect(fa["report.html"].replace("1970-01-01T00:00:00.000Z", "T")).toBe(
      fb["report.html"].replace("1970-01-02T00:00:00.000Z", "T"),
    );

    // One row per run, in plan order, each near its budget and with sensible numbers.
    expect(first.runs.map((r) => [r.case, r.tauMode])).toEqual([
      [1, "adaptive"],
      [1, 1],
      [1, 5],
      [4, "adaptive"],
      [4, 1],
      [4, 5],
    ]);
    for (const r of first.runs) {
      // Simulated costs are random: the last rounds may overshoot the budget by about one b.
      expect(r.spent.time).toBeGreaterThan(tiny.budget * 0.75);
      expect(r.spent.time).toBeLessThan(tiny.budget * 1.25);
      expect(r.binding).toBe("time");
      expect(r.finalLoss).toBeGreaterThan(0);
      expect(r.finalLoss).toBeLessThan(1); // the loss at w = 0
      expect(r.testAccuracy).toBeGreaterThan(0.5);
      expect(r.rounds).toBe(
        first.rounds.filter((x) => x.case === r.case && x.tauMode === r.tauMode).length,
      );
    }
    const fixed5 = first.runs.find((r) => r.tauMode === 5)!;
    expect(fixed5.meanTau).toBeLessThanOrEqual(5);
    expect(fixed5.iterations).toBeGreaterThan(fixed5.rounds);
    const json = JSON.parse(fa["results.json"]);
    expect(json.runs).toHaveLength(6);
    expect(json.settings).toMatchObject({ nodes: 3, sgd: 50, seed: 7, budget: { time: 1.5 } });

    // Progress: a start and an end per run, rounds between, counts rising to the total.
    const ends = events.filter((e) => e.kind === "run-end");
    expect(ends.map((e) => e.completed)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.filter((e) => e.kind === "run-start")).toHaveLength(6);
    expect(events.filter((e) => e.kind === "round")).toHaveLength(first.rounds.length);
  });

  it("changes with the seed", async () => {
    const base = { ...tiny, cases: [1 as const], taus: [5] };
    const a = await runExperiment({ ...base });
    const b = await runExperiment({ ...base, seed: 8 });
    expect(a.files).toEqual([]);
    expect(a.runs[0].finalLoss).not.toBe(b.runs[0].finalLoss);
  });

  it("stops on bytes when the byte budget binds before time", async () => {
    // Three SVM nodes: some 19 kB per node per round (785 float64 weights out, weights and
    // gradient back), so 1 MB lasts about 17 rounds, far short of 60 simulated seconds (adaptive
    // tau soon runs 100 updates a round: 1.4 s).
    const budget = { time: 60, bytes: 1e6 };
    const base = { ...tiny, cases: [1 as const], taus: ["adaptive" as const, 5] };
    const { runs, rounds } = await runExperiment({ ...base, budget });
    for (const r of runs) {
      expect(r.budget).toEqual(budget);
      expect(r.binding).toBe("bytes");
      const perRound = r.spent.bytes / r.rounds;
      expect(perRound).toBeGreaterThan(3 * 3 * 785 * 8);
      // The last full round and the evaluation round are set aside: at most one round over.
      expect(r.spent.bytes).toBeGreaterThan(budget.bytes - 2 * perRound);
      expect(r.spent.bytes).toBeLessThan(budget.bytes + perRound);
      expect(r.spent.time).toBeLessThan(budget.time * 0.8);
      const mine = rounds.filter((x) => x.tauMode === r.tauMode);
      expect(mine.at(-1)?.bytesSpent).toBe(r.spent.bytes);
    }
    // With room for bytes, the same runs go on until time binds.
    const roomy = await runExperiment({ ...base, budget: { time: 3, bytes: 1e9 } });
    for (const r of roomy.runs) {
      expect(r.binding).toBe("time");
      expect(r.spent.time).toBeGreaterThan(3 * 0.75);
    }
  });

  it("rejects bad settings before loading anything", async () => {
    await expect(runExperiment({ nodes: 0 })).rejects.toThrow(/Bad nodes 0/);
  });
});

describe("runExperiment with the replicated case under SGD and shared streams", () => {
  it("also runs it with independent streams and shows both in every file", async () => {
    const dir = await freshDir();
    const result = await runExperiment({
      nodes: 3,
      cases: [3],
      taus: [1, 4],
      budget: 0.5,
      sgd: 50,
      seed: 7,
      out: dir,
    });
    expect(result.runs.map((r) => [r.case, r.minibatches, r.tauMode])).toEqual([
      [3, "shared", 1],
      [3, "shared", 4],
      [3, "independent", 1],
      [3, "independent", 4],
    ]);
    // Shared streams keep the replicas identical: no gradient divergence (up to rounding in the
    // mean). Independent ones draw different minibatches.
    for (const r of result.runs) {
      if (r.minibatches === "shared") expect(r.delta).toBeLessThan(1e-12);
      else expect(r.delta).toBeGreaterThan(0.1);
    }
    const independentRounds = result.rounds.filter((r) => r.minibatches === "independent");
    expect(independentRounds.length).toBe(result.runs[2].rounds + result.runs[3].rounds);

    const files = await readAll(dir);
    const csv = files["results.csv"].trim().split("\n");
    expect(csv.slice(1).map((l) => l.split(",").slice(1, 5).join(","))).toEqual([
      "3,replicated,shared,1",
      "3,replicated,shared,4",
      "3,replicated,independent,1",
      "3,replicated,independent,4",
    ]);
    const json = JSON.parse(files["results.json"]);
    expect(json.runs.map((r: { minibatches: string }) => r.minibatches)).toEqual([
      "shared",
      "shared",
      "independent",
      "independent",
    ]);
    const html = files["report.html"];
    expect(html).toContain("<h2>svm, case 3 (replicated, shared minibatches)</h2>");
    expect(html).toContain("<h2>svm, case 3 (replicated, independent minibatches)</h2>");
    expect(html).toContain("every fixed tau follows one trajectory");
    expect(html.match(/<svg /g)).toHaveLength(2 + 2);
  });
});

describe("runExperiment with a model that does not fit the task", () => {
  it("fails before any run", async () => {
    const seen: ExperimentProgress[] = [];
    await expect(
      runExperiment(
        { models: ["svm", "logistic"], task: "digits", cases: [1], taus: [1], budget: 0.5 },
        (e) => seen.push(e),
      ),
    ).rejects.toThrow(/not \+1 or -1/);
    expect(seen).toEqual([]);
  });
});
