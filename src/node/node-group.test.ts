import { describe, expect, it } from "vitest";
import { Aggregator } from "../aggregator/aggregator.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { groupNodeNames, NodeGroup, sharedLoadSplit } from "./node-group.js";
import { tinyDigits } from "./test-support/tiny-digits.js";

const split = tinyDigits(300);

describe("NodeGroup (fedtau node --count K)", () => {
  it("names the nodes BASE-1 .. BASE-K and refuses names that would not fit", () => {
    expect(groupNodeNames("load", 3)).toEqual(["load-1", "load-2", "load-3"]);
    expect(() => groupNodeNames("load", 0)).toThrow("--count needs an integer from 1 to 10000");
    expect(() => groupNodeNames("x".repeat(62), 10)).toThrow(
      `--name "${"x".repeat(62)}" is too long for --count 10`,
    );
  });

  it("loads a data set once for every node, and again after a failed load", async () => {
    let calls = 0;
    const load = sharedLoadSplit(async (spec) => {
      calls++;
      if (calls === 1) throw new Error("flaky disk");
      return spec === "csv:t.csv" ? split : tinyDigits(10);
    });
    await expect(load("csv:t.csv")).rejects.toThrow("flaky disk");
    const [a, b] = await Promise.all([load("csv:t.csv"), load("csv:t.csv")]);
    expect(a).toBe(b);
    expect(calls).toBe(2);
  });

  it("runs K clients in one process, each with its own connection, name and part of the data", async () => {
    const loads: string[] = [];
    const aggregator = await Aggregator.start({
      nodes: 6,
      runs: 1,
      data: split,
      kernels: referenceKernels,
      setup: {
        model: { kind: "svm" },
        dataset: "csv:tiny.csv",
        task: "even-odd",
        case: 1,
        tau: 2,
        eta: 0.05,
        phi: 0.025,
        seed: 4,
        rounds: 3,
      },
    });
    const group = new NodeGroup({
      aggregator: aggregator.url,
      baseName: "g",
      count: 6,
      kernels: referenceKernels,
      loadSplit: async (spec) => {
        loads.push(spec);
        return split;
      },
    });
    try {
      const [exit, [summary]] = await Promise.all([group.run(), aggregator.done]);
      expect(exit.code).toBe(0);
      expect(summary.status).toBe("completed");
      expect(summary.nodes.map((n) => n.name).sort()).toEqual(
        ["g-1", "g-2", "g-3", "g-4", "g-5", "g-6"].sort(),
      );
      // Case 1: 300 rows shared out, 50 each, all reported every round.
      expect(summary.nodes.map((n) => n.dataSize)).toEqual(Array(6).fill(50));
      expect(summary.nodes.every((n) => n.roundsReported === 4 && n.roundsFailed === 0)).toBe(true);
      expect(loads).toEqual(["csv:tiny.csv"]);
    } finally {
      group.stop();
      await aggregator.close();
    }
  });
});
