import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel } from "../models/svm.js";
import { LocalTrainer } from "./local-trainer.js";
import { nodeEstimates } from "./node-estimates.js";
import type { RoundOrder } from "./round-report.js";
import { svmBatch } from "./test-support/svm-batch.js";

const dim = 6;
const data = svmBatch(60, dim, 5);
const model = new SvmModel(dim, { kernels: referenceKernels });
const order = (round: number, weights: Float64Array, tau: number): RoundOrder => ({
  round,
  weights,
  tau,
  lastRound: false,
  prevGlobalWasBest: false,
});

describe("LocalTrainer, fedtau's first-round estimates", () => {
  it("reports beta_i and rho_i in round 1 from the round's own start and end (full batch)", () => {
    const trainer = new LocalTrainer({
      model,
      data,
      eta: 0.2,
      rng: new Rng(1),
      firstRoundEstimates: true,
    });
    const w0 = new Float64Array(dim).fill(0.05);
    const report = trainer.runRound(order(1, w0, 3));
    const objective = model.bind(data);
    const endGrad = new Float64Array(dim);
    const endLoss = objective.lossAndGradient(report.weights, endGrad);
    const want = nodeEstimates({
      wPrev: report.weights,
      wGlobal: w0,
      gradPrev: endGrad,
      gradGlobal: report.gradAtGlobal,
      lossPrev: endLoss,
      lossGlobal: report.lossAtGlobal,
    });
    expect(report.beta).toBe(want.beta);
    expect(report.rho).toBe(want.rho);
    expect(report.beta).toBeGreaterThan(1e-5);
    const paper = new LocalTrainer({ model, data, eta: 0.2, rng: new Rng(1) });
    expect(paper.runRound(order(1, w0, 3)).beta).toBeUndefined();
  });
});

describe("LocalTrainer, fedtau's gradient noise under SGD", () => {
  const sgd = { batchSize: 10 };
  const make = (gradientNoise: boolean) =>
    new LocalTrainer({ model, data, eta: 0.2, sgd, rng: new Rng(7), gradientNoise });

  it("leaves the training minibatches, weights and losses as they are", () => {
    const a = make(false);
    const b = make(true);
    let w: Float64Array = new Float64Array(dim);
    for (let r = 1; r <= 4; r++) {
      const ra = a.runRound(order(r, w, 3));
      const rb = b.runRound(order(r, w, 3));
      expect(Array.from(rb.weights)).toEqual(Array.from(ra.weights));
      expect(rb.lossAtGlobal).toBe(ra.lossAtGlobal);
      expect(ra.gradNoise).toBeUndefined();
      w = ra.weights;
    }
  });

  it("reports the mean of two minibatch gradients at w(t0) and |g1 - g2|^2 / 4", () => {
    const plain = make(false);
    const noisy = make(true);
    const w = new Float64Array(dim).fill(0.1);
    const g1 = plain.runRound(order(1, w, 2)).gradAtGlobal;
    const r = noisy.runRound(order(1, w, 2));
    // g2 = 2 mean - g1; the noise is |g1 - g2|^2 / 4 = |g1 - mean|^2.
    let n = 0;
    for (let k = 0; k < dim; k++) n += (g1[k] - r.gradAtGlobal[k]) ** 2;
    expect(r.gradNoise).toBeCloseTo(n, 14);
    expect(r.gradNoise).toBeGreaterThan(0);
  });

  it("estimates the minibatch noise without bias (seeded, many draws)", () => {
    // Against the exact variance of a minibatch mean of 10 of the 60 rows (without replacement).
    const w = new Float64Array(dim).fill(0.1);
    const full = model.bind(data);
    const gFull = new Float64Array(dim);
    full.lossAndGradient(w, gFull);
    const trainer = new LocalTrainer({
      model,
      data,
      eta: 1e-12,
      sgd,
      rng: new Rng(3),
      gradientNoise: true,
    });
    let noise = 0;
    let spread = 0;
    const rounds = 400;
    for (let r = 1; r <= rounds; r++) {
      const rep = trainer.runRound(order(r, w, 1));
      noise += rep.gradNoise!;
      for (let k = 0; k < dim; k++) spread += (rep.gradAtGlobal[k] - gFull[k]) ** 2;
    }
    // E gradNoise = E |mean - gFull|^2: both estimate the squared error of the reported gradient.
    expect(noise / rounds).toBeGreaterThan(0.7 * (spread / rounds));
    expect(noise / rounds).toBeLessThan(1.3 * (spread / rounds));
  });
});
