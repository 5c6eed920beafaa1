import { describe, expect, it } from "vitest";
import type { Clock } from "../clock.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel } from "../models/svm.js";
import { batchRows } from "./batch-rows.js";
import { LocalTrainer } from "./local-trainer.js";
import { nodeEstimates } from "./node-estimates.js";
import type { RoundOrder } from "./round-report.js";
import { idBatch, quadraticTestModel } from "./test-support/quadratic-model.js";
import { svmBatch } from "./test-support/svm-batch.js";

function order(
  round: number,
  weights: Float64Array,
  tau: number,
  extra?: Partial<RoundOrder>,
): RoundOrder {
  return { round, weights, tau, lastRound: false, prevGlobalWasBest: false, ...extra };
}

/** A clock that reads the number of evaluations the quadratic test model has performed. */
function evaluationClock(model: { evaluations: unknown[] }): Clock {
  return { now: () => model.evaluations.length };
}

describe("LocalTrainer, full-batch gradient descent", () => {
  const dim = 5;
  const data = svmBatch(40, dim, 11);
  const model = new SvmModel(dim, { kernels: referenceKernels });
  const eta = 0.3;

  it("equals a hand-written descent loop bit for bit, estimates included", () => {
    const trainer = new LocalTrainer({ model, data, eta, rng: new Rng(1) });
    const objective = model.bind(data);
    let global = new Float64Array(dim);
    let prevEnd: { w: Float64Array; grad: Float64Array; loss: number } | undefined;
    const taus = [1, 1, 4, 3, 7];
    for (let r = 0; r < taus.length; r++) {
      const report = trainer.runRound(order(r + 1, global, taus[r]));
      // The loop the trainer must equal: plain steps, first gradient and loss kept.
      const w = global.slice();
      const grad = new Float64Array(dim);
      let firstLoss = 0;
      let firstGrad = new Float64Array(dim);
      for (let i = 0; i < taus[r]; i++) {
        const loss = objective.lossAndGradient(w, grad);
        if (i === 0) {
          firstLoss = loss;
          firstGrad = grad.slice();
        }
        for (let k = 0; k < dim; k++) w[k] = w[k] - eta * grad[k];
      }
      expect(report.round).toBe(r + 1);
      expect(report.tauDone).toBe(taus[r]);
      expect(report.dataSize).toBe(40);
      expect(Array.from(report.weights)).toEqual(Array.from(w));
      expect(report.lossAtGlobal).toBe(firstLoss);
      expect(Array.from(report.gradAtGlobal)).toEqual(Array.from(firstGrad));
      if (prevEnd === undefined) {
        expect("beta" in report).toBe(false);
        expect("rho" in report).toBe(false);
      } else {
        const e = nodeEstimates({
          wPrev: prevEnd.w,
          wGlobal: global,
          gradPrev: prevEnd.grad,
          gradGlobal: firstGrad,
          lossPrev: prevEnd.loss,
          lossGlobal: firstLoss,
        });
        expect(report.beta).toBe(e.beta);
        expect(report.rho).toBe(e.rho);
      }
      const endGrad = new Float64Array(dim);
      prevEnd = { w: w.slice(), grad: endGrad, loss: objective.lossAndGradient(w, endGrad) };
      // A stand-in for aggregation: a different point to start the next round from.
      global = w.map((v, k) => v * 0.9 + 0.01 * k);
    }
    objective.dispose();
    trainer.dispose();
  });

  it("reports beta and rho from round 2 on only", () => {
    const trainer = new LocalTrainer({ model, data, eta, rng: new Rng(1) });
    const r1 = trainer.runRound(order(1, new Float64Array(dim), 2));
    expect(r1.beta).toBeUndefined();
    expect(r1.rho).toBeUndefined();
    const r2 = trainer.runRound(
      order(
        2,
        r1.weights.map((v) => v / 2),
        2,
      ),
    );
    expect(r2.beta).toBeGreaterThan(0);
    expect(r2.rho).toBeGreaterThan(0);
    // Round 1 again starts a new run: nothing remembered.
    const r3 = trainer.runRound(order(1, new Float64Array(dim), 1));
    expect(r3.beta).toBeUndefined();
  });

  it("does not keep references to the order's weights", () => {
    const trainer = new LocalTrainer({ model, data, eta, rng: new Rng(1) });
    const buffer = new Float64Array(dim);
    const r1 = trainer.runRound(order(1, buffer, 2));
    expect(r1.weights).not.toBe(buffer);
    buffer.fill(0.5); // the caller reuses its buffer for round 2
    const r2 = trainer.runRound(order(2, buffer, 1, { prevGlobalWasBest: true }));
    // The best copy is round 1's start (zeros), not the reused buffer.
    expect(r2.lossAtBest).toBe(r1.lossAtGlobal);
  });
});

describe("LocalTrainer, stochastic gradient descent", () => {
  const dim = 3;
  const data = idBatch(40, dim);

  function run(seed: number, taus: number[], carryOver = true) {
    const model = quadraticTestModel(dim);
    const trainer = new LocalTrainer({
      model,
      data,
      eta: 0.1,
      sgd: { batchSize: 4, carryOver },
      rng: new Rng(seed),
      clock: { now: () => 0 }, // wall time is the one thing a seed cannot repeat
    });
    let w = Float64Array.of(1, -1, 0.5);
    const reports = taus.map((tau, r) => {
      const report = trainer.runRound(order(r + 1, w, tau));
      w = report.weights.map((v) => v + 0.05); // a stand-in for aggregation
      return report;
    });
    return { model, reports };
  }

  it("is reproducible by seed", () => {
    const a = run(7, [1, 1, 5, 3]).reports;
    const b = run(7, [1, 1, 5, 3]).reports;
    const c = run(8, [1, 1, 5, 3]).reports;
    expect(a).toEqual(b);
    expect(a[3].weights).not.toEqual(c[3].weights);
  });

  it("uses minibatches of distinct samples", () => {
    const { model } = run(3, [5, 5]);
    for (const ids of model.binds) {
      expect(ids.length).toBe(4);
      expect(new Set(ids).size).toBe(4);
    }
  });

  it("keeps a round's last minibatch for the next round's first update", () => {
    const { model, reports } = run(5, [1, 3, 4, 2]);
    const grads = model.evaluations.filter((e) => e.kind === "lossAndGradient");
    // Per round: tau updates, then the extra evaluation at the final local weights.
    const taus = [1, 3, 4, 2];
    let at = 0;
    const rounds = taus.map((tau) => {
      const updates = grads.slice(at, at + tau);
      const extra = grads[at + tau];
      at += tau + 1;
      return { updates, extra };
    });
    for (let r = 0; r < rounds.length; r++) {
      const { updates, extra } = rounds[r];
      expect(extra.bindId).toBe(updates[updates.length - 1].bindId);
      if (r > 0) expect(updates[0].bindId).toBe(rounds[r - 1].extra.bindId);
      // Fresh samples for every later update of the round.
      const ids = updates.map((u) => u.bindId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // Hessian I: on the same samples the gradient changes exactly as much as the weights.
    for (const report of reports.slice(1)) expect(report.beta).toBeCloseTo(1, 12);
  });

  it("without carry-over draws a fresh minibatch for every update", () => {
    const { model, reports } = run(5, [1, 3, 4], false);
    const updates = model.evaluations.filter((e) => e.kind === "lossAndGradient");
    expect(model.binds.length).toBe(1 + 3 + 4);
    expect(updates.length).toBe(1 + 3 + 4 + 3); // and one extra evaluation per round
    expect(Math.abs(reports[2].beta! - 1)).toBeGreaterThan(1e-3);
  });

  it("without estimates (fixed tau) skips the extra evaluation and changes nothing else", () => {
    const taus = [1, 3, 4, 2];
    const runWith = (estimates: boolean, carryOver: boolean) => {
      const model = quadraticTestModel(dim);
      const trainer = new LocalTrainer({
        model,
        data,
        eta: 0.1,
        sgd: { batchSize: 4, carryOver },
        rng: new Rng(5),
        clock: { now: () => 0 },
        estimates,
      });
      let w = Float64Array.of(1, -1, 0.5);
      const reports = taus.map((tau, r) => {
        const report = trainer.runRound(order(r + 1, w, tau, { prevGlobalWasBest: r === 2 }));
        w = report.weights.map((v) => v + 0.05);
        return report;
      });
      return { model, reports };
    };
    for (const carryOver of [false, true]) {
      const full = runWith(true, carryOver);
      const lean = runWith(false, carryOver);
      const grads = (m: typeof full.model) =>
        m.evaluations.filter((e) => e.kind === "lossAndGradient").length;
      expect(grads(lean.model)).toBe(grads(full.model) - taus.length);
      expect(lean.model.binds).toEqual(full.model.binds);
      for (const [r, report] of lean.reports.entries()) {
        const { beta: _b, rho: _r, ...rest } = full.reports[r];
        expect(report).toEqual(rest);
        expect("beta" in report || "rho" in report).toBe(false);
      }
    }
  });

  it("changes the minibatch every 3 updates when tau = 1", () => {
    const { model } = run(5, [1, 1, 1, 1, 1, 1, 1]);
    const firstUpdates = model.evaluations
      .filter((e) => e.kind === "lossAndGradient")
      .filter((_, i) => i % 2 === 0)
      .map((e) => e.bindId);
    expect(firstUpdates).toEqual([0, 0, 0, 1, 1, 1, 2]);
  });

  it("frees every minibatch it no longer needs", () => {
    const { model } = run(5, [1, 3, 4, 2]);
    const last = model.binds.length - 1;
    for (let id = 0; id < last; id++) expect(model.disposed.has(id)).toBe(true);
    expect(model.disposed.has(last)).toBe(false);
  });

  it("treats a batch size >= the node's rows as full-batch descent", () => {
    const model = quadraticTestModel(dim);
    const trainer = new LocalTrainer({
      model,
      data,
      eta: 0.1,
      sgd: { batchSize: 40 },
      rng: new Rng(1),
    });
    trainer.runRound(order(1, new Float64Array(dim), 3));
    expect(model.binds.length).toBe(1);
    expect(model.binds[0].length).toBe(40);
  });
});

describe("LocalTrainer, timing", () => {
  const dim = 2;
  const data = idBatch(10, dim);

  it("counts the tau local updates only, not the extra evaluation nor lossAtBest", () => {
    for (const sgd of [undefined, { batchSize: 3 }]) {
      const model = quadraticTestModel(dim);
      const trainer = new LocalTrainer({
        model,
        data,
        eta: 0.1,
        sgd,
        rng: new Rng(2),
        clock: evaluationClock(model),
      });
      let w: Float64Array = new Float64Array(dim);
      for (const [r, tau] of [
        [1, 1],
        [2, 1],
        [3, 5],
        [4, 2],
      ]) {
        const before = model.evaluations.length;
        const report = trainer.runRound(order(r, w, tau, { prevGlobalWasBest: true }));
        expect(report.localSeconds).toBe(tau);
        const extra = sgd !== undefined && r > 1 ? 2 : 1; // SGD recomputes lossAtBest on the minibatch
        expect(model.evaluations.length - before).toBe(tau + extra);
        w = report.weights;
      }
    }
  });

  it("skips the extra evaluation after the last round", () => {
    const model = quadraticTestModel(dim);
    const trainer = new LocalTrainer({
      model,
      data,
      eta: 0.1,
      rng: new Rng(2),
      clock: evaluationClock(model),
    });
    trainer.runRound(order(1, new Float64Array(dim), 2, { lastRound: true }));
    expect(model.evaluations.length).toBe(2);
  });
});

describe("LocalTrainer, min-loss copy", () => {
  const dim = 3;
  const data = idBatch(30, dim);
  const w1 = Float64Array.of(1, 2, 3);
  const w2 = Float64Array.of(-1, 0, 1);
  const w3 = Float64Array.of(0.5, 0.5, 0.5);

  it("full batch: the flagged previous start becomes the best copy, its loss reported", () => {
    const model = quadraticTestModel(dim);
    const trainer = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1) });
    const r1 = trainer.runRound(order(1, w1, 1, { prevGlobalWasBest: true }));
    expect(r1.lossAtBest).toBeUndefined(); // nothing before round 1
    const r2 = trainer.runRound(order(2, w2, 1));
    expect(r2.lossAtBest).toBeUndefined(); // not flagged: still no copy
    const r3 = trainer.runRound(order(3, w3, 2, { prevGlobalWasBest: true }));
    expect(r3.lossAtBest).toBe(r2.lossAtGlobal); // w2's loss
    const r4 = trainer.runRound(order(4, w1, 1));
    expect(r4.lossAtBest).toBe(r2.lossAtGlobal); // the copy stays until replaced
    const r5 = trainer.runRound(order(5, w2, 1, { prevGlobalWasBest: true }));
    expect(r5.lossAtBest).toBe(r1.lossAtGlobal); // round 4 started from w1
  });

  it("SGD: lossAtBest is the best copy's loss on the minibatch of lossAtGlobal", () => {
    const model = quadraticTestModel(dim);
    const trainer = new LocalTrainer({
      model,
      data,
      eta: 0.1,
      sgd: { batchSize: 5 },
      rng: new Rng(4),
    });
    trainer.runRound(order(1, w1, 3));
    const r2 = trainer.runRound(order(2, w2, 3, { prevGlobalWasBest: true }));
    const first = model.evaluations.find((e) => e.kind === "lossAndGradient" && e.w[0] === w2[0]);
    const best = model.evaluations.find((e) => e.kind === "loss");
    expect(best?.bindId).toBe(first?.bindId);
    expect(Array.from(best!.w)).toEqual(Array.from(w1));
    const check = model.bind(batchRows(data, model.binds[first!.bindId]));
    expect(r2.lossAtBest).toBe(check.loss(w1));
    expect(r2.lossAtGlobal).toBe(check.loss(w2));
  });

  it("ignores the flag when the previous order was not the previous round", () => {
    const model = quadraticTestModel(dim);
    const trainer = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1) });
    trainer.runRound(order(1, w1, 1));
    const r3 = trainer.runRound(order(3, w2, 1, { prevGlobalWasBest: true }));
    expect(r3.lossAtBest).toBeUndefined();
  });
});

describe("LocalTrainer, bad orders", () => {
  const dim = 3;
  const model = new SvmModel(dim, { kernels: referenceKernels });
  const data = svmBatch(12, dim, 3);

  it("refuses weights of the wrong length", () => {
    const trainer = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1) });
    expect(() => trainer.runRound(order(4, new Float64Array(5), 1))).toThrow(
      "Cannot run round 4: the order carries 5 weights, the svm model has 3",
    );
  });

  it("refuses tau < 1 or fractional", () => {
    const trainer = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1) });
    expect(() => trainer.runRound(order(2, new Float64Array(dim), 0))).toThrow(
      "Cannot run round 2: tau must be an integer >= 1, got 0",
    );
    expect(() => trainer.runRound(order(2, new Float64Array(dim), 1.5))).toThrow("got 1.5");
  });

  it("reports NaN for NaN weights, and recovers on the next finite order", () => {
    for (const sgd of [undefined, { batchSize: 4 }]) {
      const trainer = new LocalTrainer({ model, data, eta: 0.1, sgd, rng: new Rng(1) });
      const r1 = trainer.runRound(order(1, Float64Array.of(0, Number.NaN, 0), 3));
      expect(r1.lossAtGlobal).toBeNaN();
      expect(r1.tauDone).toBe(3);
      expect(Array.from(r1.weights).every(Number.isNaN)).toBe(true);
      const r2 = trainer.runRound(order(2, new Float64Array(dim), 2, { prevGlobalWasBest: true }));
      expect(Number.isFinite(r2.lossAtGlobal)).toBe(true);
      expect(r2.beta).toBe(1e-5);
      expect(r2.rho).toBe(0);
      expect(r2.lossAtBest).toBeNaN();
    }
  });

  it("refuses bad construction options", () => {
    const rng = new Rng(1);
    expect(() => new LocalTrainer({ model, data, eta: 0, rng })).toThrow(
      "Cannot create a local trainer: eta must be a finite number > 0, got 0",
    );
    expect(() => new LocalTrainer({ model, data, eta: 0.1, sgd: { batchSize: 0 }, rng })).toThrow(
      "Cannot create a local trainer: SGD batch size must be an integer >= 1, got 0",
    );
    expect(
      () =>
        new LocalTrainer({
          model: new SvmModel(4, { kernels: referenceKernels }),
          data,
          eta: 0.1,
          rng,
        }),
    ).toThrow(
      "Cannot create a local trainer: the data has 3 features per row, the svm model expects 4",
    );
  });

  it("cannot run after dispose", () => {
    const trainer = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1) });
    trainer.dispose();
    expect(() => trainer.runRound(order(1, new Float64Array(dim), 1))).toThrow(
      "Cannot run a round: the local trainer was disposed",
    );
  });
});
