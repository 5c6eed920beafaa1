import { type ControlMode, DEFAULT_CONTROL } from "../core/control/control-mode.js";
import type { TauMode } from "../core/control/tau-policy.js";
import type { DataAssignment } from "../core/data/assignment.js";
import type { DistributionCase } from "../core/data/partition.js";
import type { TaskKind } from "../core/data/task.js";
import { type Budget, type BudgetTable, budgetTable } from "../core/federation/budget.js";
import type { RunConfig } from "../core/federation/run-config.js";
import type { ModelSpec } from "../core/models/create-model.js";
import type { RunId, SetupMessage } from "../protocol/index.js";

/** The budget of a run when none is given, in seconds (as `fedtau experiment`). */
export const DEFAULT_BUDGET_SECONDS = 15;

/**
 * What every run of an aggregator learns, from the flags `fedtau experiment` shares: the model,
 * the data and how it is shared out, the tau mode, the optimiser and the limits.
 */
export interface LearningSetup {
  readonly model: ModelSpec;
  /** A data set spec every node can load: "mnist", "idx:DIR" or "csv:FILE". */
  readonly dataset: string;
  readonly task: TaskKind;
  /** How the training rows are shared out (docs/algorithm.md section 5). */
  readonly case: DistributionCase;
  readonly tau: TauMode;
  /** How adaptive tau is controlled (default "fedtau"; "paper": the authors' exact rules). */
  readonly control?: ControlMode;
  /** SGD minibatch size; undefined = full-batch gradient descent. */
  readonly sgd?: number;
  readonly eta: number;
  readonly phi: number;
  readonly seed: number;
  /**
   * The budget: a number is a time budget in (measured) seconds, a table one amount per resource
   * ("time" seconds, "bytes" sent and received); undefined: the default time budget, or none with
   * --rounds and fixed tau.
   */
  readonly budget?: Budget;
  /** Full rounds at most (for exact comparisons); the evaluation-only round comes on top. */
  readonly rounds?: number;
}

/**
 * The budget a setup runs under, per resource. Time takes the default when not given, except
 * for fixed tau with a round limit (the only runs that need none); a setup switched to adaptive
 * tau (the dashboard) thus keeps a byte budget and gets the default time budget. Undefined: no
 * budget at all.
 */
export function budgetOf(setup: LearningSetup): BudgetTable | undefined {
  const given = setup.budget === undefined ? {} : budgetTable(setup.budget);
  if (given.time !== undefined) return given;
  if (setup.tau !== "adaptive" && setup.rounds !== undefined) {
    return Object.keys(given).length > 0 ? given : undefined;
  }
  return { ...given, time: DEFAULT_BUDGET_SECONDS };
}

/** The round engine's config of a run of this setup. */
export function runConfigOf(
  setup: LearningSetup,
  modelSize: number,
  initialWeights: Float64Array,
): RunConfig {
  const budget = budgetOf(setup);
  return {
    modelSize,
    initialWeights,
    eta: setup.eta,
    phi: setup.phi,
    tauMode: setup.tau,
    control: setup.control ?? DEFAULT_CONTROL,
    ...(budget === undefined ? {} : { budget }),
    ...(setup.rounds === undefined ? {} : { maxRounds: setup.rounds }),
  };
}

/** Node `nodeIndex`'s part of the data: computed by the node itself, never sent as data. */
export function assignmentOf(
  setup: LearningSetup,
  nodeIndex: number,
  nodeCount: number,
): DataAssignment {
  return {
    dataset: setup.dataset,
    task: setup.task,
    partition: { kind: "case", case: setup.case },
    nodeIndex,
    nodeCount,
  };
}

/** The Setup message of one node of a run. */
export function setupMessageOf(
  setup: LearningSetup,
  run: { readonly runId: RunId; readonly modelSize: number },
  nodeIndex: number,
  nodeCount: number,
): SetupMessage {
  return {
    type: "setup",
    runId: run.runId,
    model: setup.model,
    modelSize: run.modelSize,
    eta: setup.eta,
    batchSize: setup.sgd ?? "full",
    data: assignmentOf(setup, nodeIndex, nodeCount),
    adaptiveTau: setup.tau === "adaptive",
    control: setup.control ?? DEFAULT_CONTROL,
    seed: setup.seed,
    vectorEncoding: "float64",
  };
}
