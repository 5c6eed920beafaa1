import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/aggregator/run-summary.js";
import type { DatasetSplit } from "../../src/core/data/dataset.js";
import type { DistributionCase } from "../../src/core/data/partition.js";
import { loadDataset } from "../../src/datasets/load-dataset.js";
import { simulatedSvmRun } from "./support/simulated-run.js";
import {
  exitWithin,
  type FedtauProcess,
  requireBuild,
  startAggregator,
  startNode,
} from "./support/spawn-fedtau.js";

/**
 * With a fixed tau, seeded SGD and a round limit, nothing measured steers the run, so the
 * networked system (one aggregator, five node processes, protobuf over WebSocket) must return
 * exactly the model of the simulator (createSimulation + runFederation, same seed, same data
 * assignments): the wire carries float64 bit for bit, both sides run the same trainer and round
 * engine, and the engine aggregates in node order, not arrival order.
 */
const NODES = 5;
const TAU = 3;
const SGD = 50;
const ROUNDS = 12;
const SEED = 7;
const ETA = 0.05;
const CASES: DistributionCase[] = [1, 4];

describe("a networked run equals the simulator's", () => {
  const out = mkdtempSync(join(tmpdir(), "fedtau-equivalence-"));
  const processes: FedtauProcess[] = [];
  let exit: number | string;
  let split: DatasetSplit;

  beforeAll(async () => {
    requireBuild();
    split = await loadDataset("mnist");
    const { aggregator, url } = await startAggregator([
      "--nodes",
      String(NODES),
      "--case",
      CASES.join(","),
      "--tau",
      String(TAU),
      "--sgd",
      String(SGD),
      "--rounds",
      String(ROUNDS),
      "--seed",
      String(SEED),
      "--eta",
      String(ETA),
      "--out",
      out,
      "--quiet",
    ]);
    processes.push(aggregator);
    const nodes = Array.from({ length: NODES }, (_, i) => startNode(url, `n${i + 1}`));
    processes.push(...nodes);
    exit = await exitWithin(aggregator, 60_000);
    await Promise.all(nodes.map((n) => exitWithin(n, 10_000)));
  }, 90_000);

  afterAll(() => {
    for (const p of processes) p.kill();
    rmSync(out, { recursive: true, force: true });
  });

  it.each(CASES.map((c, i) => ({ caseId: c, k: i + 1 })))(
    "case $caseId: final weights equal to 1e-12",
    async ({ caseId, k }) => {
      expect(exit).toBe(0);
      const dir = join(out, `run-${k}`);
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
      expect(summary.status).toBe("completed");
      expect(summary.rounds).toBe(ROUNDS + 1); // and the evaluation-only round
      const networked = Float64Array.from(
        (JSON.parse(readFileSync(join(dir, "weights.json"), "utf8")) as { weights: number[] })
          .weights,
      );

      const simulated = await simulatedSvmRun({
        split,
        case: caseId,
        nodes: NODES,
        eta: ETA,
        seed: SEED,
        tau: TAU,
        rounds: ROUNDS,
        batchSize: SGD,
      });
      expect(simulated.status).toBe("completed");
      expect(networked).toHaveLength(simulated.finalWeights.length);
      let maxDiff = 0;
      for (let j = 0; j < networked.length; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(networked[j] - simulated.finalWeights[j]));
      }
      expect(maxDiff).toBeLessThanOrEqual(1e-12);
      // Not a trivial model: it moved away from the zero start.
      expect(simulated.finalWeights.some((w) => w !== 0)).toBe(true);
    },
  );
});
