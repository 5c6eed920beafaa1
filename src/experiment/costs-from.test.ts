import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ControlInput } from "../core/control/control-record.js";
import { loadRecordedCosts } from "./costs-from.js";
import { resolveSettings } from "./experiment-options.js";
import { runExperiment } from "./run-experiment.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "fedtau-costs-from-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Seconds per update of the recorded nodes n1..n3, by round, and b of each round. */
const PER_STEP = [
  [0.004, 0.011, 0.006],
  [0.005, 0.013, 0.007],
  [0.003, 0.012, 0.008],
  [0.004, 0.017, 0.006],
  [0.006, 0.01, 0.007],
];
const B = [0.05, 0.08, 0.2, 0.06, 0.07];
/** Round 3 lost n3: its b (0.2, mostly the wait) is no sample; its nodes' times are. */
const LOST_ROUND = 3;

/** A record as the aggregator writes it, reduced to what recorded costs read. */
function writeRecord(dir: string, rounds: readonly ControlInput[]): void {
  mkdirSync(dir, { recursive: true });
  const lines = rounds.map((input) =>
    JSON.stringify({
      round: input.round,
      control: {
        input,
        output: {
          tau: 1,
          kind: "full",
          search: null,
          binding: null,
          change: { cause: "fixed", text: "" },
        },
      },
    }),
  );
  writeFileSync(join(dir, "rounds.jsonl"), lines.map((l) => `${l}\n`).join(""));
}

function recorded(): ControlInput[] {
  return PER_STEP.map((steps, i) => {
    const round = i + 1;
    const tau = round;
    const nodes = steps
      .map((s, k) => ({ id: `n${k + 1}`, localSeconds: s * tau, tauDone: tau }))
      .filter((n) => !(round === LOST_ROUND && n.id === "n3"));
    return {
      round,
      tauDone: tau,
      fallback: false,
      fresh: { beta: null, rho: null, delta: null },
      cost: { time: { local: Math.max(...nodes.map((n) => n.localSeconds)), aggregation: B[i] } },
      nodes,
      lost: round === LOST_ROUND ? ["n3"] : [],
    };
  });
}

const experiment = {
  nodes: 3,
  cases: [1],
  taus: ["adaptive", 3],
  budget: 1,
  sgd: 20,
  seed: 11,
} as const;

describe("fedtau experiment --costs-from", () => {
  const record = tempDir();
  writeRecord(record, recorded());

  it("draws c and b from the record, the same for a seed", async () => {
    const out = tempDir();
    const run = (seed: number, dir?: string) =>
      runExperiment({
        ...experiment,
        cases: [...experiment.cases],
        taus: [...experiment.taus],
        seed,
        costsFrom: record,
        ...(dir === undefined ? {} : { out: dir }),
      });
    const a = await run(11, out);
    expect(a.settings.cost).toBe("recorded");
    expect(a.settings.costsFrom).toBe(record);
    expect((await run(11)).rounds).toEqual(a.rounds);
    expect((await run(12)).rounds).not.toEqual(a.rounds);

    const steps = PER_STEP.flat();
    const bs = B.filter((_, i) => i + 1 !== LOST_ROUND);
    expect(a.rounds.length).toBeGreaterThan(5);
    const seenB = new Set<number>();
    for (const r of a.rounds) {
      // Every node did tau updates: c is the slowest drawn node's seconds per update.
      expect(steps.some((s) => Math.abs(r.c - s) <= 1e-12 * s)).toBe(true);
      expect(bs).toContain(r.b);
      seenB.add(r.b);
    }
    expect(seenB.size).toBeGreaterThan(1);
    // rounds.csv holds these very numbers.
    const [head, ...rows] = readFileSync(join(out, "rounds.csv"), "utf8").trim().split("\n");
    const col = (name: string) => head.split(",").indexOf(name);
    expect(rows.map((r) => Number(r.split(",")[col("c")]))).toEqual(a.rounds.map((r) => r.c));
    expect(rows.map((r) => Number(r.split(",")[col("b")]))).toEqual(a.rounds.map((r) => r.b));
    // The slowest node is the recorded n2 (drawn for simulated node 2): c is one of its times.
    const n2 = PER_STEP.map((s) => s[1]);
    expect(a.rounds.every((r) => n2.some((s) => Math.abs(r.c - s) <= 1e-12 * s))).toBe(true);
  }, 60_000);

  it("refuses an unusable record with one sentence naming it", () => {
    const root = tempDir();
    expect(() => loadRecordedCosts(root)).toThrow(
      `Cannot draw costs from ${root}: no rounds.jsonl in it or below it`,
    );
    writeRecord(join(root, "run-1"), recorded());
    writeRecord(join(root, "run-2"), recorded());
    expect(() => loadRecordedCosts(root)).toThrow(
      `Cannot draw costs from ${root}: it holds 2 recorded runs (${join(root, "run-1")}, ${join(root, "run-2")}); give the directory of one`,
    );

    const empty = tempDir();
    writeFileSync(join(empty, "rounds.jsonl"), "");
    expect(() => loadRecordedCosts(empty)).toThrow(
      `Cannot draw costs from ${join(empty, "rounds.jsonl")}: no round recorded`,
    );

    const bad = tempDir();
    writeFileSync(join(bad, "rounds.jsonl"), '{"round":1}\n');
    expect(() => loadRecordedCosts(bad)).toThrow(
      `Cannot draw costs from ${join(bad, "rounds.jsonl")} line 1: round 1 has no control record (written by a fedtau from before the controller's decisions were recorded)`,
    );

    const allLost = tempDir();
    writeRecord(
      allLost,
      recorded().map((r) => ({ ...r, lost: ["n9"] })),
    );
    expect(() => loadRecordedCosts(allLost)).toThrow(
      `Cannot draw costs from ${join(allLost, "rounds.jsonl")}: no round that measured an aggregation (every round lost a node or had no report)`,
    );
  });

  it("cannot be measured too, and recorded costs need a record", () => {
    expect(() => resolveSettings({ costsFrom: "x", cost: "measured" })).toThrow(
      "Costs drawn from a record (--costs-from) cannot also be measured",
    );
    expect(() => resolveSettings({ cost: "recorded" })).toThrow(
      "Recorded costs need the record to draw them from (--costs-from DIR)",
    );
    expect(resolveSettings({ costsFrom: "x" }).cost).toBe("recorded");
    expect(resolveSettings({}).costsFrom).toBeNull();
  });
});
