import { describe, expect, it } from "vitest";
import type { Batch } from "../data/batch.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel } from "../models/svm.js";
import { LocalTrainer } from "./local-trainer.js";
import type { RoundOrder, RoundReport } from "./round-report.js";

/**
 * A resumed aggregator may ask a round again (it ran on the nodes, but the aggregator died before
 * its checkpoint): the trainer answers it as the first time, from the same previous-round points.
 */
const dim = 4;
const model = new SvmModel(dim, { kernels: referenceKernels });

function batch(rows: number, seed: number): Batch {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * dim);
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    y[j] = rng.next() < 0.5 ? -1 : 1;
    for (let k = 0; k < dim; k++) x[j * dim + k] = (rng.int(512) - 256) / 256 + 0.2 * y[j];
  }
  return { x, y, rows, dim };
}

const data = batch(30, 4);

function trainer(sgd = false): LocalTrainer {
  // A frozen clock: localSeconds is 0, the rest of a report is computed.
  return new LocalTrainer({
    model,
    data,
    eta: 0.2,
    rng: new Rng(1),
    clock: { now: () => 0 },
    // fedtau's SGD: a carried minibatch, estimates from round 1 and a second minibatch at w(t0).
    ...(sgd && { sgd: { batchSize: 7 }, firstRoundEstimates: true, gradientNoise: true }),
  });
}

/** Round r starts from weights that depend on r only (as the aggregator's global weights do). */
function order(round: number, extra: Partial<RoundOrder> = {}): RoundOrder {
  const weights = Float64Array.from({ length: dim }, (_, k) => 0.05 * round * (k + 1));
  return { round, weights, tau: 3, lastRound: false, prevGlobalWasBest: round % 2 === 0, ...extra };
}

function run(t: LocalTrainer, rounds: readonly number[]): RoundReport[] {
  return rounds.map((r) => t.runRound(order(r)));
}

describe("LocalTrainer, a round asked again", () => {
  it("reports the same, bit for bit, estimates and lossAtBest included", () => {
    const once = run(trainer(), [1, 2, 3, 4, 5, 6]);
    // The aggregator asks at most the round after its checkpoint again.
    const again = run(trainer(), [1, 2, 3, 4, 5, 5, 6]);
    expect(again[4]).toEqual(once[4]);
    expect(again[5]).toEqual(once[4]);
    expect(again[6]).toEqual(once[5]);
    expect(once[4].beta).toBeDefined();
    expect(once[5].lossAtBest).toBeDefined();
  });

  it("under SGD draws the same minibatches again, so the round and every later one are exact", () => {
    const once = run(trainer(true), [1, 2, 3, 4, 5, 6]);
    const again = run(trainer(true), [1, 2, 3, 4, 5, 5, 6]);
    expect(again[5]).toEqual(once[4]);
    expect(again[6]).toEqual(once[5]);
    expect(once[4].gradNoise).toBeDefined();
    // And a round given up halfway (the node's deadline passed), then asked again.
    const t = trainer(true);
    run(t, [1, 2, 3, 4]);
    t.beginRound(order(5, { tau: 6 }));
    t.advance(0);
    t.abandonRound();
    expect(run(t, [5, 6])).toEqual([once[4], once[5]]);
  });

  it("the evaluation-only round asked again too", () => {
    const t = trainer();
    run(t, [1, 2, 3]);
    const last = t.runRound(order(4, { lastRound: true, tau: 1 }));
    expect(t.runRound(order(4, { lastRound: true, tau: 1 }))).toEqual(last);
  });

  it("after missed rounds, uses its latest end point; a fresh trainer sends no beta at first", () => {
    const gap = run(trainer(), [1, 2, 5]);
    expect(gap[2].beta).toBeDefined();
    const fresh = run(trainer(), [5, 6]);
    expect(fresh[0].beta).toBeUndefined();
    expect(fresh[0].lossAtBest).toBeUndefined();
    expect(fresh[1].beta).toBeDefined();
  });
});
