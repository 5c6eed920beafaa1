import { describe, expect, it } from "vitest";
import type { Batch } from "../data/batch.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel } from "../models/svm.js";
import { LocalTrainer, type SgdOptions } from "../train/local-trainer.js";
import type { NodeLink } from "./link.js";
import { runFederation } from "./round-engine.js";
import { fixedCosts, frozenClock } from "./test-support/scripted-link.js";

const dim = 8;
const model = new SvmModel(dim, { kernels: referenceKernels });

/** The true separating direction, shared by training and test data. */
const hidden = Array.from({ length: dim }, (_, k) => (k % 2 === 0 ? 1 : -0.5) * (k + 1));

/** Rows with features in [-1, 1) labelled by the sign of a hidden linear score (with some noise). */
function dataset(seed: number, rows: number): Batch {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * dim);
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    let score = 0.3 * rng.normal();
    for (let k = 0; k < dim; k++) {
      const v = (rng.int(2048) - 1024) / 1024;
      x[j * dim + k] = v;
      score += hidden[k] * v;
    }
    y[j] = score >= 0 ? 1 : -1;
  }
  return { x, y, rows, dim };
}

/** Node i gets rows i, i + n, i + 2n, ... (case 1, uniform). */
function split(data: Batch, n: number): Batch[] {
  return Array.from({ length: n }, (_, i) => {
    const idx: number[] = [];
    for (let j = i; j < data.rows; j += n) idx.push(j);
    const x = new Float32Array(idx.length * dim);
    const y = new Float64Array(idx.length);
    idx.forEach((j, r) => {
      x.set(data.x.subarray(j * dim, (j + 1) * dim), r * dim);
      y[r] = data.y[j];
    });
    return { x, y, rows: idx.length, dim };
  });
}

function nodes(parts: Batch[], eta: number, sgd?: SgdOptions): NodeLink[] {
  const root = new Rng(7);
  return parts.map((data, i) => {
    const trainer = new LocalTrainer({
      model,
      data,
      eta,
      sgd,
      rng: root.fork(i),
      clock: frozenClock,
    });
    return {
      id: `n${i + 1}`,
      runRound: async (order) => ({ ok: true, report: trainer.runRound(order) }),
    };
  });
}

describe("round engine with real SVM trainers", () => {
  const all = dataset(1, 150);
  const parts = split(all, 3);
  const test = dataset(2, 300);

  it("with tau 1 and full batches is centralised gradient descent", async () => {
    const eta = 0.05;
    const result = await runFederation(
      {
        modelSize: dim,
        initialWeights: new Float64Array(dim),
        eta,
        tauMode: 1,
        maxRounds: 20,
        useMinLoss: false,
      },
      { links: nodes(parts, eta), costs: fixedCosts(0.01, 0.1), clock: frozenClock },
    );
    const objective = model.bind(all);
    const w = new Float64Array(dim);
    const grad = new Float64Array(dim);
    for (let t = 0; t < 20; t++) {
      objective.lossAndGradient(w, grad);
      for (let k = 0; k < dim; k++) w[k] -= eta * grad[k];
    }
    objective.dispose();
    for (let k = 0; k < dim; k++) {
      expect(Math.abs(result.lastWeights[k] - w[k])).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(w[k])),
      );
    }
  });

  it("adapts tau under a time budget and returns the best weights (full batch)", async () => {
    const eta = 0.05;
    const result = await runFederation(
      {
        modelSize: dim,
        initialWeights: new Float64Array(dim),
        eta,
        tauMode: "adaptive",
        budget: { time: 5 },
      },
      {
        links: nodes(parts, eta),
        costs: fixedCosts(0.01, 0.1),
        clock: frozenClock,
        evaluate: (w) => model.evaluate(w, test),
      },
    );
    expect(result.status).toBe("completed");
    const events = result.events;
    expect(events[0].tau).toBe(1);
    expect(events[1].tau).toBe(1);
    expect(Math.max(...events.map((e) => e.tau))).toBeGreaterThan(1);
    expect(events.at(-1)?.evaluationOnly).toBe(true);
    expect(result.spent.time).toBeGreaterThan(4);
    expect(result.bestLoss).toBeLessThan(events[0].lossAtStart as number);
    // Full batches: the best loss is the global loss of the returned weights.
    expect(model.evaluate(result.finalWeights, all).loss).toBeCloseTo(
      result.bestLoss as number,
      12,
    );
    expect(events.at(-1)?.testAccuracy).toBeGreaterThan(0.8);
  });

  it("runs SGD nodes to the end with estimates on every round from 2 on", async () => {
    const eta = 0.05;
    const result = await runFederation(
      {
        modelSize: dim,
        initialWeights: new Float64Array(dim),
        eta,
        tauMode: "adaptive",
        budget: { time: 5 },
      },
      {
        links: nodes(parts, eta, { batchSize: 10 }),
        costs: fixedCosts(0.01, 0.1),
        clock: frozenClock,
        evaluate: (w) => model.evaluate(w, test),
      },
    );
    expect(result.status).toBe("completed");
    expect(result.events.slice(1).every((e) => e.beta !== null && e.rho !== null)).toBe(true);
    expect(result.events.every((e) => e.failed.length === 0)).toBe(true);
    expect(result.events.at(-1)?.testAccuracy).toBeGreaterThan(0.7);
  });
});
