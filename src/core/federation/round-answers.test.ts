import { describe, expect, it } from "vitest";
import type { RoundReport } from "../train/round-report.js";
import type { RoundOutcome } from "./link.js";
import { RoundIntake } from "./round-answers.js";
import { WeightedSum } from "./weighted-average.js";

const expect1 = { round: 1, tau: 1, modelSize: 2 };

function report(weights = Float64Array.of(1, 2)): RoundReport {
  return {
    round: 1,
    weights,
    tauDone: 1,
    localSeconds: 0.1,
    dataSize: 10,
    lossAtGlobal: 0.5,
    gradAtGlobal: new Float64Array(2),
  };
}

function intakeOf(answers: readonly RoundOutcome[]) {
  const intake = new RoundIntake(
    answers.map((_, i) => `n${i + 1}`),
    expect1,
    new WeightedSum(2),
  );
  answers.forEach((a, i) => {
    intake.take(i, a);
  });
  return intake.result();
}

describe("RoundIntake: in-process busy times", () => {
  it("sums the calls' busy times and keeps the largest, failures and bad reports included", () => {
    const r = intakeOf([
      { ok: true, report: report(), busySeconds: 0.25 },
      { ok: false, code: "node-error", message: "boom", busySeconds: 0.5 },
      { ok: true, report: report(Float64Array.of(1, Number.NaN)), busySeconds: 0.125 },
    ]);
    expect(r.reported.map((x) => x.id)).toEqual(["n1"]);
    expect(r.failed.map((x) => x.code)).toEqual(["node-error", "invalid-report"]);
    expect(r.inProcess).toEqual({ totalSeconds: 0.875, slowestSeconds: 0.5 });
  });

  it("gives none when some answer has no busy time (a networked node)", () => {
    const r = intakeOf([
      { ok: true, report: report(), busySeconds: 0.25 },
      { ok: true, report: report(), bytes: 100 },
    ]);
    expect(r.inProcess).toBeUndefined();
    expect(r.bytes).toBe(100);
    expect(intakeOf([{ ok: true, report: report() }]).inProcess).toBeUndefined();
  });
});
