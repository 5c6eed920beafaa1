import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/aggregator/run-summary.js";
import {
  exitWithin,
  type FedtauProcess,
  requireBuild,
  startAggregator,
  startNode,
} from "./support/spawn-fedtau.js";

/**
 * The demo's added delay: `--delay 100` on the aggregator holds every message to and from every
 * node for 100 ms, so each aggregation costs at least 200 ms more (b, measured), and adaptive
 * tau answers with more local updates per round (algorithm.md section 7: a larger b gives a
 * larger tau). Case 1, adaptive, measured time, the same budget with and without the delay.
 */
const out = mkdtempSync(join(tmpdir(), "fedtau-delay-"));
const processes: FedtauProcess[] = [];

afterAll(() => {
  for (const p of processes) p.kill();
  rmSync(out, { recursive: true, force: true });
});

async function run(name: string, extra: string[]): Promise<{ summary: RunSummary; b: number[] }> {
  const dir = join(out, name);
  const { aggregator, url } = await startAggregator([
    "--nodes",
    "5",
    "--case",
    "1",
    "--tau",
    "adaptive",
    "--budget",
    "3",
    "--out",
    dir,
    "--quiet",
    ...extra,
  ]);
  processes.push(aggregator);
  const nodes = [1, 2, 3, 4, 5].map((i) => startNode(url, `n${i}`));
  processes.push(...nodes);
  expect(await exitWithin(aggregator, 60_000)).toBe(0);
  await Promise.all(nodes.map((n) => exitWithin(n, 10_000)));
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
  const b = readFileSync(join(dir, "rounds.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { costs: { time: { b: number } } }).costs.time.b);
  return { summary, b };
}

const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];

describe("added delay on the aggregator", () => {
  it("gives a larger b and a larger mean tau than no delay", async () => {
    requireBuild();
    const plain = await run("plain", []);
    const delayed = await run("delayed", ["--delay", "100"]);
    expect(plain.summary.status).toBe("completed");
    expect(delayed.summary.status).toBe("completed");
    // Every message waits 100 ms each way: b >= 0.2 s per round.
    expect(median(delayed.b)).toBeGreaterThanOrEqual(0.2);
    expect(median(plain.b)).toBeLessThan(0.2);
    expect(delayed.summary.meanTau).toBeGreaterThan(plain.summary.meanTau);
  }, 120_000);
});
