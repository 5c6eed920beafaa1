import type { CaseId } from "./case-setting.js";
import type { ExperimentSettings } from "./experiment-options.js";
import type { TauSetting } from "./tau-setting.js";

/** One run of an experiment: a model on one case with one tau setting. */
export interface RunSpec {
  /** Position in the plan, from 0. */
  readonly index: number;
  readonly model: string;
  readonly caseId: CaseId;
  readonly tau: TauSetting;
}

/** A model on one case: the runs that share the same partitioned, kernel-bound node data. */
export interface RunGroup {
  readonly model: string;
  readonly caseId: CaseId;
  readonly runs: readonly RunSpec[];
}

/** Every run, grouped by model then case; within a group, tau settings in the order given. */
export function planExperiment(settings: ExperimentSettings): RunGroup[] {
  const groups: RunGroup[] = [];
  let index = 0;
  for (const model of settings.models) {
    for (const caseId of settings.cases) {
      const runs = settings.taus.map((tau) => ({ index: index++, model, caseId, tau }));
      groups.push({ model, caseId, runs });
    }
  }
  return groups;
}

export function countRuns(groups: readonly RunGroup[]): number {
  return groups.reduce((n, g) => n + g.runs.length, 0);
}
