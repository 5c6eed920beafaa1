import type { RunSpec } from "./experiment-plan.js";
import type { RunRecord } from "./run-record.js";

/** What `runExperiment` tells its caller while it works. */
export type ExperimentProgress =
  | {
      readonly kind: "run-start";
      readonly run: RunSpec;
      /** Runs finished so far, and in all. */
      readonly completed: number;
      readonly total: number;
    }
  | {
      readonly kind: "round";
      readonly run: RunSpec;
      readonly round: number;
      readonly tau: number;
      /** The largest share of any of the run's budgets spent so far, 0..1 (about). */
      readonly budgetShare: number;
      readonly completed: number;
      readonly total: number;
    }
  | {
      readonly kind: "run-end";
      readonly run: RunSpec;
      readonly record: RunRecord;
      /** Wall time the run took (for display only; never written to the result files). */
      readonly wallSeconds: number;
      readonly completed: number;
      readonly total: number;
    };

export type ProgressListener = (event: ExperimentProgress) => void;
