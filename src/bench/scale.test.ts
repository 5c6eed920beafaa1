import { describe, expect, it } from "vitest";
import { Aggregator } from "../aggregator/aggregator.js";
import { NodeSession } from "../aggregator/node-session.js";
import type { RoundOutcome } from "../core/federation/link.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { NodeGroup } from "../node/index.js";
import { tinyDigits } from "../node/test-support/tiny-digits.js";
import { forceGc } from "../test-support/force-gc.js";
import { formatScale, runScaleBench } from "./scale.js";

describe("fedtau bench --scale, scaled down", () => {
  it("measures b, b per node and the aggregator's peak memory for 5 and 50 nodes", async () => {
    const points = await runScaleBench({ nodes: [5, 50], rounds: 8, warmupRounds: 2 });
    expect(points.map((p) => [p.nodes, p.processes, p.rounds, p.modelSize])).toEqual([
      [5, 1, 8, 784],
      [50, 1, 8, 784],
    ]);
    for (const p of points) {
      for (const v of [p.overheadMs, p.peakRssMb, p.peakHeapMb, p.wallMs]) {
        expect(Number.isFinite(v) && v > 0).toBe(true);
      }
      expect(p.perNodeMs).toBeCloseTo(p.overheadMs / p.nodes, 12);
    }
    // Not a timing: a gross bound that catches memory held per node and round (8 rounds of
    // 50 reports of 2 x 784 float64 would be 5 MB; a process with 50 nodes is far under 1 GB).
    expect(points[1].peakRssMb).toBeLessThan(1024);
    expect(formatScale(points)).toContain("b/node (us)");
  }, 60_000);

  it.each([5, 50])(
    "holds O(1) weight vectors besides the gradients while a round's reports come in: %i nodes on real sockets",
    async (count) => {
      // Spy on the results as the aggregator's sessions hand them to the round engine.
      const original = NodeSession.prototype.askRound;
      const perRound = new Map<number, WeakRef<Float64Array>[]>();
      const alive: number[] = [];
      NodeSession.prototype.askRound = function (runId, order, deadlineMs) {
        const round = order.round;
        return original.call(this, runId, order, deadlineMs).then((o: RoundOutcome) => {
          if (o.ok) {
            const refs = perRound.get(round) ?? [];
            perRound.set(round, refs);
            if (refs.length === count - 1) {
              // Every other node's report of this round is in the engine: how many of their
              // weight vectors are still in memory?
              forceGc();
              alive.push(refs.filter((r) => r.deref() !== undefined).length);
            }
            refs.push(new WeakRef(o.report.weights));
          }
          return o;
        });
      };
      const split = tinyDigits(count * 20);
      const aggregator = await Aggregator.start({
        nodes: count,
        runs: 1,
        data: split,
        kernels: referenceKernels,
        deadlineFloorMs: 60_000,
        roundTimeoutMs: 60_000,
        setup: {
          model: { kind: "svm" },
          dataset: "csv:tiny.csv",
          task: "even-odd",
          case: 1,
          tau: 1,
          eta: 0.05,
          phi: 0.025,
          seed: 2,
          rounds: 4,
        },
      });
      const group = new NodeGroup({
        aggregator: aggregator.url,
        baseName: "m",
        count,
        kernels: referenceKernels,
        loadSplit: async () => split,
      });
      try {
        const [exit, [summary]] = await Promise.all([group.run(), aggregator.done]);
        expect(exit.code).toBe(0);
        expect(summary.status).toBe("completed");
      } finally {
        NodeSession.prototype.askRound = original;
        group.stop();
        await aggregator.close();
      }
      // Checked in the 4 full rounds (and the evaluation one): never a report's weights kept.
      expect(alive).toEqual([0, 0, 0, 0, 0]);
    },
    60_000,
  );
});
