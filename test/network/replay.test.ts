import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoundEvent } from "../../src/core/federation/round-event.js";
import {
  exitWithin,
  type FedtauProcess,
  requireBuild,
  spawnFedtau,
  startAggregator,
  startNode,
} from "./support/spawn-fedtau.js";

/**
 * A networked run's record replays: one `fedtau aggregator` (adaptive tau, a 5-second measured
 * budget) and five `fedtau node` processes on 127.0.0.1, then `fedtau replay` on its --out
 * directory reproduces every tau decision the aggregator made from what it measured; a tampered
 * decision is caught at its round, a malformed line refused; and `fedtau experiment
 * --costs-from` draws its costs from the same record.
 */
const NODES = 5;
const processes: FedtauProcess[] = [];
const root = mkdtempSync(join(tmpdir(), "fedtau-replay-net-"));
const out = join(root, "run");

afterAll(() => {
  for (const p of processes) p.kill();
  rmSync(root, { recursive: true, force: true });
});

async function fedtau(
  args: readonly string[],
): Promise<{ code: number | string; stdout: string[]; stderr: string }> {
  const p = spawnFedtau(args);
  processes.push(p);
  const code = await exitWithin(p, 60_000);
  return { code, stdout: p.stdout().trim().split("\n"), stderr: p.stderr() };
}

function lines(dir: string): string[] {
  return readFileSync(join(dir, "rounds.jsonl"), "utf8").split("\n").filter(Boolean);
}

/** A copy of the record with line `n` (from 1) replaced. */
function copyWith(name: string, n: number, line: (event: RoundEvent) => string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const ls = lines(out);
  const copy = ls.map((l, i) => (i === n - 1 ? line(JSON.parse(l) as RoundEvent) : l));
  writeFileSync(join(dir, "rounds.jsonl"), copy.map((l) => `${l}\n`).join(""));
  writeFileSync(join(dir, "controller.json"), readFileSync(join(out, "controller.json")));
  return dir;
}

describe("fedtau replay of a networked run", () => {
  let events: RoundEvent[];

  beforeAll(async () => {
    requireBuild();
    const { aggregator, url } = await startAggregator([
      "--nodes",
      String(NODES),
      "--tau",
      "adaptive",
      "--budget",
      // Enough for several decisions even when a loaded machine makes the first rounds slow.
      "5",
      "--sgd",
      "50",
      "--delay",
      "10",
      "--out",
      out,
      "--quiet",
    ]);
    processes.push(aggregator);
    const nodes = Array.from({ length: NODES }, (_, i) => startNode(url, `n${i + 1}`));
    processes.push(...nodes);
    expect(await exitWithin(aggregator, 60_000)).toBe(0);
    await Promise.all(nodes.map((n) => exitWithin(n, 10_000)));
    events = lines(out).map((l) => JSON.parse(l) as RoundEvent);
  }, 90_000);

  it("reproduces every tau decision, and exits 0", async () => {
    expect(events.length).toBeGreaterThan(3);
    expect(events.some((e) => e.tauReason === "search")).toBe(true);
    const n = events.length;
    const r = await fedtau(["replay", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([
      `run ${out}: ${n} of ${n} tau decisions reproduced (adaptive tau, fedtau control)`,
      `${n} of ${n} tau decisions reproduced`,
    ]);
  });

  it("names the round of a tampered decision and exits 1; refuses a malformed line with 2", async () => {
    const n = events.length;
    const k = events.findIndex((e) => e.nextTau !== null && e.nextTau > 1) + 1;
    const tau = events[k - 1].control.output.tau!;
    const tampered = copyWith("tampered", k, (e) =>
      JSON.stringify({
        ...e,
        nextTau: tau - 1,
        control: { ...e.control, output: { ...e.control.output, tau: tau - 1 } },
      }),
    );
    const bad = await fedtau(["replay", tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toEqual([
      `run ${tampered}: round ${k}: recorded tau ${tau - 1}, replayed tau ${tau}`,
      `${n - 1} of ${n} tau decisions reproduced`,
    ]);

    const malformed = copyWith("malformed", 2, () => '{"round": 2, "tau"');
    const refused = await fedtau(["replay", malformed]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toEqual([""]);
    expect(refused.stderr).toMatch(
      new RegExp(`^${join(malformed, "rounds.jsonl")} line 2: not JSON \\(.+\\)\\n$`),
    );
  });

  it("drives a simulated comparison with the record's costs", async () => {
    const exp = join(root, "exp");
    const r = await fedtau([
      "experiment",
      "--costs-from",
      out,
      "--nodes",
      String(NODES),
      "--cases",
      "1",
      "--taus",
      "adaptive,5",
      "--budget",
      // Enough for several decisions even when a loaded machine makes the first rounds slow.
      "5",
      "--sgd",
      "50",
      "--out",
      exp,
      "--quiet",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const recordedB = new Set(
      events
        .filter((e) => e.control.input.lost.length === 0)
        .map((e) => e.control.input.cost.time.aggregation),
    );
    const [head, ...rows] = readFileSync(join(exp, "rounds.csv"), "utf8").trim().split("\n");
    const b = head.split(",").indexOf("b");
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(recordedB.has(Number(row.split(",")[b]))).toBe(true);
  }, 60_000);
});
