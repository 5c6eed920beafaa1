import { describe, expect, it } from "vitest";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { SvmModel } from "../core/models/svm.js";
import type { RoundOrder } from "../core/train/round-report.js";
import { idBatch, quadraticTestModel } from "../core/train/test-support/quadratic-model.js";
import { createSimulation } from "./create-simulation.js";

const dim = 3;
const fixedClock = { now: () => 0 };

function order(round: number, weights: Float64Array, tau: number): RoundOrder {
  return { round, weights, tau, lastRound: false, prevGlobalWasBest: false };
}

async function roundWeights(seed: number): Promise<number[][]> {
  // Every node holds the same data: only their Rng streams tell them apart.
  const sim = createSimulation({
    model: quadraticTestModel(dim),
    nodeData: [idBatch(30, dim), idBatch(30, dim), idBatch(30, dim)],
    eta: 0.1,
    sgd: { batchSize: 5 },
    seed,
    clock: fixedClock,
  });
  const outcomes = await Promise.all(
    sim.links.map((l) => l.runRound(order(1, Float64Array.of(1, 1, 1), 4))),
  );
  sim.dispose();
  return outcomes.map((o) => {
    if (!o.ok) throw new Error(o.message);
    return Array.from(o.report.weights);
  });
}

describe("createSimulation", () => {
  it("makes one link per node, named n1..nN, with its data size", async () => {
    const sim = createSimulation({
      model: quadraticTestModel(dim),
      nodeData: [idBatch(4, dim), idBatch(9, dim)],
      eta: 0.1,
      seed: 1,
    });
    expect(sim.links.map((l) => l.id)).toEqual(["n1", "n2"]);
    expect(sim.trainers.map((t) => t.dataSize)).toEqual([4, 9]);
    const outcome = await sim.links[1].runRound(order(1, new Float64Array(dim), 1));
    expect(outcome.ok && outcome.report.dataSize).toBe(9);
    sim.dispose();
  });

  it("times each node's call on the simulation's clock, the one to give the engine", async () => {
    // Every read moves this clock on by 1 s: a call timed on it takes at least 1 s, one timed on
    // the real clock a few microseconds.
    let t = 0;
    const sim = createSimulation({
      model: quadraticTestModel(dim),
      nodeData: [idBatch(4, dim)],
      eta: 0.1,
      seed: 1,
      clock: { now: () => t++ },
    });
    const outcome = await sim.links[0].runRound(order(1, new Float64Array(dim), 1));
    sim.dispose();
    expect(outcome.busySeconds).toBeGreaterThanOrEqual(1);
  });

  it("gives every node its own seeded minibatch stream", async () => {
    const a = await roundWeights(42);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(await roundWeights(42)).toEqual(a);
    expect(await roundWeights(43)).not.toEqual(a);
  });

  it("trains: federated rounds through the links lower the global loss", async () => {
    const model = new SvmModel(dim, { kernels: referenceKernels });
    const nodeData = [0, 1, 2].map((n) => {
      const rows = 20;
      const x = new Float32Array(rows * dim);
      const y = new Float64Array(rows);
      for (let j = 0; j < rows; j++) {
        y[j] = (j + n) % 2 === 0 ? 1 : -1;
        for (let k = 0; k < dim; k++)
          x[j * dim + k] = y[j] * (k + 1) * 0.25 + ((j * 5 + k) % 7) / 16 - 0.2;
      }
      return { x, y, rows, dim };
    });
    const sim = createSimulation({ model, nodeData, eta: 0.2, seed: 1, clock: fixedClock });
    let w = new Float64Array(dim);
    const losses: number[] = [];
    for (let round = 1; round <= 6; round++) {
      const outcomes = await Promise.all(sim.links.map((l) => l.runRound(order(round, w, 3))));
      const next = new Float64Array(dim);
      let total = 0;
      let loss = 0;
      for (const o of outcomes) {
        if (!o.ok) throw new Error(o.message);
        const { weights, dataSize, lossAtGlobal } = o.report;
        for (let k = 0; k < dim; k++) next[k] += dataSize * weights[k];
        total += dataSize;
        loss += dataSize * lossAtGlobal;
      }
      losses.push(loss / total);
      w = next.map((v) => v / total);
    }
    sim.dispose();
    for (let r = 1; r < losses.length; r++) expect(losses[r]).toBeLessThan(losses[r - 1]);
  });

  it("names the node whose data is unusable", () => {
    const model = new SvmModel(dim, { kernels: referenceKernels });
    const good = { x: Float32Array.of(1, 0, 0), y: Float64Array.of(1), rows: 1, dim };
    const bad = { x: new Float32Array(0), y: new Float64Array(0), rows: 0, dim };
    expect(() => createSimulation({ model, nodeData: [good, bad], eta: 0.1, seed: 1 })).toThrow(
      "Cannot create simulated node n2: Cannot create a local trainer: the node's data has no rows",
    );
  });
});
