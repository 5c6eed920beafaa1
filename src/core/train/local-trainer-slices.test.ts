import { describe, expect, it } from "vitest";
import type { Clock } from "../clock.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel } from "../models/svm.js";
import { LocalTrainer, type LocalTrainerOptions } from "./local-trainer.js";
import type { RoundOrder, RoundReport } from "./round-report.js";
import { svmBatch } from "./test-support/svm-batch.js";

// A node drives a long round in slices (beginRound, advance, endRound) so that it can serve its
// connection and signals in between; the slices must not change a single bit of the report.

const dim = 6;
const data = svmBatch(120, dim, 5);
const model = new SvmModel(dim, { kernels: referenceKernels });

function order(round: number, weights: Float64Array, tau: number): RoundOrder {
  return { round, weights, tau, lastRound: false, prevGlobalWasBest: false };
}

/** A clock that moves one second each time it is read. */
function tickingClock(): Clock {
  let t = 0;
  return { now: () => t++ };
}

function trainer(extra: Partial<LocalTrainerOptions> = {}): LocalTrainer {
  return new LocalTrainer({
    model,
    data,
    eta: 0.05,
    rng: new Rng(9),
    sgd: { batchSize: 10 },
    firstRoundEstimates: true,
    gradientNoise: true,
    ...extra,
  });
}

/** Everything of a report but localSeconds, which measures the clock, not the arithmetic. */
function arithmetic(r: RoundReport): unknown {
  const { localSeconds: _, ...rest } = r;
  return { ...rest, weights: [...rest.weights], gradAtGlobal: [...rest.gradAtGlobal] };
}

describe("LocalTrainer in slices", () => {
  it("gives the reports of runRound bit for bit, under SGD with every estimate", () => {
    const whole = trainer();
    const sliced = trainer({ clock: tickingClock() });
    let w: Float64Array = new Float64Array(dim);
    for (const [k, tau] of [7, 1, 12, 5].entries()) {
      const expected = whole.runRound(order(k + 1, w, tau));
      sliced.beginRound(order(k + 1, w, tau));
      let slices = 1;
      // Each update reads the clock once, so 2.5 s of the ticking clock is three updates.
      while (!sliced.advance(2.5)) slices++;
      expect(slices).toBe(Math.ceil(tau / 3));
      expect(arithmetic(sliced.endRound())).toEqual(arithmetic(expected));
      w = expected.weights;
    }
  });

  it("counts only the updates in localSeconds, not the time between slices", () => {
    const clock = tickingClock();
    const t = trainer({ clock });
    t.beginRound(order(1, new Float64Array(dim), 6));
    while (!t.advance(2.5)) for (let i = 0; i < 100; i++) clock.now();
    // Two slices of three updates, one second each; the reads between slices do not count.
    expect(t.endRound().localSeconds).toBe(2 * 3);
  });

  it("leaves no trace of an abandoned round: the round asked again gives the same report", () => {
    const full = { sgd: undefined };
    const straight = trainer(full);
    const interrupted = trainer({ ...full, clock: tickingClock() });
    const r1 = straight.runRound(order(1, new Float64Array(dim), 4));
    interrupted.runRound(order(1, new Float64Array(dim), 4));
    const r2 = straight.runRound(order(2, r1.weights, 5));
    interrupted.beginRound(order(2, r1.weights, 5));
    expect(interrupted.advance(1)).toBe(false);
    interrupted.abandonRound();
    expect(arithmetic(interrupted.runRound(order(2, r1.weights, 5)))).toEqual(arithmetic(r2));
  });

  it("refuses a second round while one runs, and an end before the last update", () => {
    const t = trainer({ clock: tickingClock() });
    t.beginRound(order(1, new Float64Array(dim), 4));
    expect(() => t.beginRound(order(2, new Float64Array(dim), 1))).toThrow(
      "Cannot start round 2: round 1 is still running",
    );
    t.advance(1);
    expect(() => t.endRound()).toThrow("Cannot end round 1: 1 of its 4 updates are done");
    expect(() => trainer().advance(1)).toThrow("Cannot advance: no round is running");
  });
});
