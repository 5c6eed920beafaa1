import type { DistributionCase } from "../core/data/partition.js";
import type { MinibatchStreams } from "../core/train/node-rng.js";
import type { RunRecord } from "./run-record.js";

/**
 * How the adaptive run of one model on one case (with one kind of minibatch streams) compares
 * with the fixed-tau runs.
 */
export interface CaseSummary {
  readonly model: string;
  readonly case: DistributionCase;
  readonly minibatches: MinibatchStreams | null;
  readonly adaptive: RunRecord | undefined;
  /** The fixed-tau run with the lowest final loss. */
  readonly bestFixed: RunRecord | undefined;
  readonly tauOne: RunRecord | undefined;
  /** adaptive final loss / best fixed final loss (NaN when either is missing). */
  readonly ratioToBest: number;
  /** adaptive final loss / tau = 1 final loss. */
  readonly ratioToTauOne: number;
}

/** One summary per (model, case, minibatch streams), in the order the runs appear. */
export function summariseCases(runs: readonly RunRecord[]): CaseSummary[] {
  // A Map iterates in insertion order: the groups come out in the order of their first run.
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const key = `${r.model}\u0000${r.case}\u0000${r.minibatches}`;
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(r);
  }
  return [...groups.values()].map((g) => {
    const adaptive = g.find((r) => r.tauMode === "adaptive");
    const fixed = g.filter((r) => r.tauMode !== "adaptive");
    let bestFixed: RunRecord | undefined;
    for (const r of fixed) {
      if (!Number.isFinite(r.finalLoss)) continue;
      if (!bestFixed || r.finalLoss < bestFixed.finalLoss) bestFixed = r;
    }
    const tauOne = fixed.find((r) => r.tauMode === 1);
    return {
      model: g[0].model,
      case: g[0].case,
      minibatches: g[0].minibatches,
      adaptive,
      bestFixed,
      tauOne,
      ratioToBest: ratio(adaptive, bestFixed),
      ratioToTauOne: ratio(adaptive, tauOne),
    };
  });
}

function ratio(a: RunRecord | undefined, b: RunRecord | undefined): number {
  return a && b ? a.finalLoss / b.finalLoss : Number.NaN;
}
