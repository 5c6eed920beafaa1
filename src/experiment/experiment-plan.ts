import type { TauMode } from "../core/control/tau-policy.js";
import type { DistributionCase } from "../core/data/partition.js";
import type { MinibatchStreams } from "../core/train/node-rng.js";
import { REPLICATED_CASE } from "./case-setting.js";
import type { ExperimentSettings } from "./experiment-options.js";

/** One run of an experiment: a model on one case with one tau setting. */
export interface RunSpec {
  /** Position in the plan, from 0. */
  readonly index: number;
  readonly model: string;
  readonly case: DistributionCase;
  /** The nodes' minibatch streams; null under full-batch descent (no minibatches drawn). */
  readonly minibatches: MinibatchStreams | null;
  readonly tauMode: TauMode;
}

/**
 * A model on one case with one kind of minibatch streams: the runs that share the same
 * partitioned, kernel-bound node data.
 */
export interface RunGroup {
  readonly model: string;
  readonly case: DistributionCase;
  readonly minibatches: MinibatchStreams | null;
  readonly runs: readonly RunSpec[];
}

/**
 * Every run, grouped by model then case; within a group, tau settings in the order given.
 *
 * Under SGD with shared streams, the replicated case comes twice: as asked, then with
 * independent streams. With shared streams its nodes hold the same data and draw the same
 * minibatches, so they stay identical replicas (delta = 0): every fixed tau follows one and the
 * same trajectory, and comparing them compares one roll of minibatch noise. The independent
 * runs, beside them, show the comparison case 3 is meant to make.
 */
export function planExperiment(settings: ExperimentSettings): RunGroup[] {
  const groups: RunGroup[] = [];
  let index = 0;
  const group = (model: string, caseId: DistributionCase, minibatches: MinibatchStreams | null) => {
    const runs = settings.taus.map((tauMode) => ({
      index: index++,
      model,
      case: caseId,
      minibatches,
      tauMode,
    }));
    groups.push({ model, case: caseId, minibatches, runs });
  };
  const streams = settings.sgd === undefined ? null : settings.minibatches;
  for (const model of settings.models) {
    for (const caseId of settings.cases) {
      group(model, caseId, streams);
      if (caseId === REPLICATED_CASE && streams === "shared") {
        group(model, caseId, "independent");
      }
    }
  }
  return groups;
}

export function countRuns(groups: readonly RunGroup[]): number {
  return groups.reduce((n, g) => n + g.runs.length, 0);
}
