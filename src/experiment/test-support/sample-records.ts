import type { TauMode } from "../../core/control/tau-policy.js";
import type { DistributionCase } from "../../core/data/partition.js";
import type { RoundRecord, RunRecord } from "../run-record.js";

/** A run record with plausible numbers; override what a test is about. */
export function sampleRun(over: Partial<RunRecord> = {}): RunRecord {
  return {
    model: "svm",
    case: 1,
    minibatches: null,
    tauMode: 1,
    finalLoss: 0.25,
    testAccuracy: 0.85,
    testLoss: 0.26,
    meanTau: 1,
    rounds: 10,
    iterations: 10,
    beta: 2.5,
    delta: 0.3,
    rho: 1.2,
    budget: { time: 15 },
    spent: { time: 14.9, bytes: 1.2e6 },
    binding: "time",
    ...over,
  };
}

/** Fixed-tau runs with the given final losses, plus an adaptive run, for one case. */
export function sampleCase(
  caseId: DistributionCase,
  losses: Readonly<Record<number, number>>,
  adaptiveLoss: number,
): RunRecord[] {
  const runs: RunRecord[] = [
    sampleRun({ case: caseId, tauMode: "adaptive", finalLoss: adaptiveLoss, meanTau: 12.5 }),
  ];
  for (const [tau, loss] of Object.entries(losses)) {
    runs.push(
      sampleRun({ case: caseId, tauMode: Number(tau), finalLoss: loss, meanTau: Number(tau) }),
    );
  }
  return runs;
}

export function sampleRounds(
  caseId: DistributionCase,
  tauMode: TauMode,
  taus: number[],
): RoundRecord[] {
  let spent = 0;
  let bytes = 0;
  return taus.map((tau, i) => {
    spent += 0.013 * tau + 0.13;
    bytes += 5 * 18_900;
    return {
      model: "svm",
      case: caseId,
      minibatches: null,
      tauMode,
      round: i + 1,
      kind: i === taus.length - 1 ? "evaluation" : "full",
      tau,
      tauDone: tau,
      loss: 0.5 / (i + 1),
      testLoss: 0.5 / (i + 1),
      testAccuracy: 0.8,
      beta: i < 1 ? Number.NaN : 2,
      rho: i < 1 ? Number.NaN : 1,
      delta: 0.3,
      c: 0.013,
      b: 0.13,
      timeSpent: spent,
      bytesSpent: bytes,
      nodesReported: 5,
    };
  });
}
