import type { DistributionCase } from "../core/data/partition.js";
import type { MinibatchStreams } from "../core/train/node-rng.js";

/** The data-distribution cases of an experiment (docs/algorithm.md section 5), all four. */
export const ALL_CASES: readonly DistributionCase[] = [1, 2, 3, 4];

export const CASE_NAMES: Readonly<Record<DistributionCase, string>> = {
  1: "uniform",
  2: "non-uniform",
  3: "replicated",
  4: "mixed",
};

/**
 * The case whose every node holds all the data: under SGD its outcome hangs on the minibatch
 * streams (shared ones keep the replicas identical), so the experiment plan runs it with both
 * and its label names them.
 */
export const REPLICATED_CASE: DistributionCase = 3;

/**
 * How a case appears in the summaries, the progress and the report: "1 (uniform)"; the
 * replicated case under SGD also names its streams, "3 (replicated, independent minibatches)",
 * since an experiment may run it with both.
 */
export function caseLabel(caseId: DistributionCase, minibatches: MinibatchStreams | null): string {
  const streams =
    caseId === REPLICATED_CASE && minibatches !== null ? `, ${minibatches} minibatches` : "";
  return `${caseId} (${CASE_NAMES[caseId]}${streams})`;
}

/** Parses "1,2,3,4" (also accepts the names, e.g. "uniform,mixed"). Throws a readable error. */
export function parseCases(text: string): DistributionCase[] {
  const parts = text.split(",").map((p) => p.trim().toLowerCase());
  if (parts.every((p) => p === "")) throw new Error("No cases given: expected e.g. 1,2,3,4");
  const out: DistributionCase[] = [];
  for (const part of parts) {
    const byName = ALL_CASES.find((c) => CASE_NAMES[c] === part);
    const id = byName ?? (/^[1-4]$/.test(part) ? (Number(part) as DistributionCase) : undefined);
    if (id === undefined) {
      throw new Error(
        `Unknown case "${part}": expected 1 (uniform), 2 (non-uniform), 3 (replicated) or 4 (mixed)`,
      );
    }
    if (out.includes(id)) throw new Error(`Case ${id} is listed twice`);
    out.push(id);
  }
  return out;
}
