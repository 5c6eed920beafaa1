import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { createModel } from "../core/models/create-model.js";
import { randomBatch } from "../core/models/test-support/random-batch.js";
import type { MinibatchStreams } from "../core/train/node-rng.js";
import type { RoundReport } from "../core/train/round-report.js";
import { createSimulation } from "./create-simulation.js";

const data = randomBatch(new Rng(3), 60, 8, { kind: "sign" });
const model = createModel({ kind: "svm" }, 8, referenceKernels);

async function oneRound(streams: MinibatchStreams): Promise<RoundReport[]> {
  // Three replicas of the same data (case 3), SGD on minibatches of 10.
  const nodes = createSimulation({
    model,
    nodeData: [data, data, data],
    eta: 0.1,
    sgd: { batchSize: 10 },
    seed: 5,
    streams,
  });
  try {
    const order = {
      round: 1,
      weights: new Float64Array(8),
      tau: 4,
      lastRound: false,
      prevGlobalWasBest: false,
    };
    const outcomes = await Promise.all(nodes.links.map((l) => l.runRound(order)));
    return outcomes.map((o) => {
      if (!o.ok) throw new Error(o.message);
      return o.report;
    });
  } finally {
    nodes.dispose();
  }
}

describe("simulation minibatch streams", () => {
  it("with shared streams, replicas draw the same minibatches and stay identical", async () => {
    const [a, b, c] = await oneRound("shared");
    expect(b.weights).toEqual(a.weights);
    expect(c.gradAtGlobal).toEqual(a.gradAtGlobal);
    expect(nodesIds()).toEqual(["n1", "n2", "n3"]);
  });

  it("with independent streams, replicas draw different minibatches", async () => {
    const [a, b] = await oneRound("independent");
    expect(b.weights).not.toEqual(a.weights);
  });
});

function nodesIds(): string[] {
  const n = createSimulation({
    model,
    nodeData: [data, data, data],
    eta: 0.1,
    seed: 1,
    streams: "shared",
  });
  const ids = n.links.map((l) => l.id);
  n.dispose();
  return ids;
}
