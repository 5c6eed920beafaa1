import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/aggregator/run-summary.js";
import {
  exitWithin,
  type FedtauProcess,
  requireBuild,
  startAggregator,
  startNode,
} from "./support/spawn-fedtau.js";

/**
 * The networked system end to end: one `fedtau aggregator` and five `fedtau node` processes on
 * 127.0.0.1, one run per data distribution case (1-4) and tau mode (adaptive, fixed 5), the same
 * five node processes throughout (--runs: the aggregator sends a new Setup after each Stop).
 */
const CASES = [1, 2, 3, 4];
const TAUS = ["adaptive", "5"];
const runs = CASES.flatMap((c) => TAUS.map((tau) => ({ case: c, tau })));

describe("fedtau aggregator with five fedtau node processes", () => {
  const out = mkdtempSync(join(tmpdir(), "fedtau-cases-"));
  const processes: FedtauProcess[] = [];
  let aggregatorExit: number | string;
  let nodeExits: (number | string)[];

  beforeAll(async () => {
    requireBuild();
    const { aggregator, url } = await startAggregator([
      "--nodes",
      "5",
      "--case",
      CASES.join(","),
      "--tau",
      TAUS.join(","),
      "--budget",
      "1.5",
      "--out",
      out,
      "--quiet",
    ]);
    processes.push(aggregator);
    const nodes = [1, 2, 3, 4, 5].map((i) => startNode(url, `n${i}`));
    processes.push(...nodes);
    aggregatorExit = await exitWithin(aggregator, 100_000);
    nodeExits = await Promise.all(nodes.map((n) => exitWithin(n, 10_000)));
  }, 120_000);

  afterAll(() => {
    for (const p of processes) p.kill();
    rmSync(out, { recursive: true, force: true });
  });

  it("exits 0, and so does every node after the last Stop", () => {
    expect(aggregatorExit).toBe(0);
    expect(nodeExits).toEqual([0, 0, 0, 0, 0]);
  });

  it.each(runs.map((r, i) => ({ ...r, k: i + 1 })))(
    "case $case, tau $tau: rounds, an accurate model, a finite loss, every node reported",
    ({ k, case: caseId, tau }) => {
      const dir = join(out, `run-${k}`);
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
      expect(summary.status).toBe("completed");
      expect(summary.setup.case).toBe(caseId);
      expect(summary.setup.tau).toBe(tau === "adaptive" ? "adaptive" : Number(tau));
      expect(summary.rounds).toBeGreaterThan(0);
      expect(summary.testAccuracy).toBeGreaterThan(0.8);
      expect(Number.isFinite(summary.finalLoss)).toBe(true);
      expect(summary.nodes).toHaveLength(5);
      for (const n of summary.nodes) {
        expect(n.roundsReported).toBeGreaterThan(0);
        expect(n.dataSize).toBeGreaterThan(0);
      }
      const events = readFileSync(join(dir, "rounds.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { round: number; tau: number; kind: string });
      expect(events.map((e) => e.round)).toEqual(events.map((_, i) => i + 1));
      expect(events).toHaveLength(summary.rounds);
      const full = events.filter((e) => e.kind === "full").map((e) => e.tau);
      // Adaptive: tau 1 until the first estimates, which come with round 1 (fedtau's control).
      if (tau === "adaptive") expect(full[0]).toBe(1);
      else expect(new Set(full)).toEqual(new Set([5]));
    },
  );
});
