import { join } from "node:path";
import { largestShare } from "../core/federation/budget.js";
import { getKernels } from "../core/linalg/select-kernels.js";
import { createModel, parseModelName } from "../core/models/create-model.js";
import type { Model, Objective } from "../core/models/model.js";
import { loadDataset } from "../datasets/load-dataset.js";
import { writeRunRecord } from "../record/record-files.js";
import { loadRecordedCosts } from "./costs-from.js";
import { caseNodeData, prepareData } from "./experiment-data.js";
import { writeExperimentFiles } from "./experiment-files.js";
import {
  type ExperimentOptions,
  type ExperimentSettings,
  resolveSettings,
} from "./experiment-options.js";
import { countRuns, planExperiment, type RunSpec } from "./experiment-plan.js";
import type { ProgressListener } from "./experiment-progress.js";
import { runOne } from "./run-one.js";
import type { RoundRecord, RunRecord } from "./run-record.js";

export interface RunExperimentOptions extends ExperimentOptions {
  /** Directory for the result files; absent: nothing is written. */
  readonly out?: string;
  /**
   * Also keep each run's record, replayable with `fedtau replay`: OUT/runs/<run>/rounds.jsonl
   * (every round event) and controller.json. Needs `out`.
   */
  readonly record?: boolean;
  /** The report's generated-at time (default: now). */
  readonly now?: () => Date;
}

export interface ExperimentResult {
  readonly settings: ExperimentSettings;
  /** One record per run, in plan order (model, case, tau setting). */
  readonly runs: readonly RunRecord[];
  readonly rounds: readonly RoundRecord[];
  /** Paths of the files written (empty without `out`). */
  readonly files: readonly string[];
  /** Wall time of the whole experiment (for display; not in any file). */
  readonly wallSeconds: number;
}

/**
 * Runs every (model, case, tau setting) of an experiment in turn under the same budget and seed,
 * and writes results.csv, results.json, rounds.csv and report.html into `out`. The data set is
 * loaded once, each case's node batches are made once and shared by its runs.
 */
export async function runExperiment(
  options: RunExperimentOptions,
  onProgress?: ProgressListener,
): Promise<ExperimentResult> {
  const started = performance.now();
  const { out, now, record, ...rest } = options;
  const settings = resolveSettings(rest);
  if (record === true && out === undefined) {
    throw new Error("Keeping the runs' records needs a directory to write them into (--out)");
  }
  // Read before any run: a bad record fails at once.
  const recorded = settings.costsFrom === null ? undefined : loadRecordedCosts(settings.costsFrom);
  const groups = planExperiment(settings);
  const total = countRuns(groups);
  const split = await loadDataset(settings.dataset);
  const data = prepareData(split, settings.task);
  const kernels = getKernels();
  const runs: RunRecord[] = [];
  const rounds: RoundRecord[] = [];
  let completed = 0;
  const recordNames = new RecordNames();

  // Every model is made and bound to the full training data and the test data up front (once,
  // for all its runs), so that a model that cannot learn the task fails before any run, not
  // after an hour of them.
  const models = new Map<
    string,
    { model: Model; trainObjective: Objective; testObjective: Objective }
  >();
  try {
    for (const name of settings.models) {
      const model = createModel(parseModelName(name), data.train.dim, kernels);
      const trainObjective = model.bind(data.train);
      models.set(name, { model, trainObjective, testObjective: model.bind(data.test) });
    }
    for (const group of groups) {
      const { model, trainObjective, testObjective } = models.get(group.model)!;
      const nodeData = caseNodeData(data, settings.nodes, group.case);
      const ctx = { settings, model, data, trainObjective, testObjective, nodeData, recorded };
      for (const run of group.runs) {
        onProgress?.({ kind: "run-start", run, completed, total });
        const t0 = performance.now();
        const lines: string[] = [];
        const outcome = await runOne(ctx, run, (r, event) => {
          if (record === true) lines.push(JSON.stringify(event));
          onProgress?.({
            kind: "round",
            run,
            round: r.round,
            tau: r.tauDone,
            budgetShare: largestShare(event.spent, event.budget),
            completed,
            total,
          });
        });
        if (record === true && out !== undefined) {
          writeRunRecord(join(out, RECORDS_DIR, recordNames.next(run)), outcome.controller, lines);
        }
        runs.push(outcome.record);
        rounds.push(...outcome.rounds);
        completed++;
        onProgress?.({
          kind: "run-end",
          run,
          record: outcome.record,
          wallSeconds: (performance.now() - t0) / 1000,
          completed,
          total,
        });
      }
    }
  } finally {
    for (const m of models.values()) {
      m.trainObjective.dispose();
      m.testObjective.dispose();
    }
  }

  const files =
    out === undefined
      ? []
      : await writeExperimentFiles(
          out,
          { settings, runs, rounds },
          (now?.() ?? new Date()).toISOString(),
        );
  return { settings, runs, rounds, files, wallSeconds: (performance.now() - started) / 1000 };
}

/** Where `record` puts the runs' records, under the output directory. */
export const RECORDS_DIR = "runs";

/**
 * A run's record directory: `<model>-case<k>-<tau setting>` (`svm-case1-adaptive`,
 * `svm-case2-tau5`), characters other than letters, digits, `.`, `_` and `-` made `-`; a name
 * given twice gets the run's position in the plan appended.
 */
export function recordName(spec: RunSpec): string {
  const tau = spec.tauMode === "adaptive" ? "adaptive" : `tau${spec.tauMode}`;
  // The extra case-3 runs with independent minibatches (beside the shared ones) say so.
  const streams = spec.minibatches === "independent" ? "-independent" : "";
  return `${spec.model}-case${spec.case}${streams}-${tau}`.replace(/[^A-Za-z0-9._-]/g, "-");
}

class RecordNames {
  private readonly used = new Set<string>();

  next(spec: RunSpec): string {
    let name = recordName(spec);
    if (this.used.has(name)) name = `${name}-${spec.index + 1}`;
    this.used.add(name);
    return name;
  }
}
