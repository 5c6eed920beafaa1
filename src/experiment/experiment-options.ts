import { CONTROL_MODES, type ControlMode, DEFAULT_CONTROL } from "../core/control/control-mode.js";
import type { TauMode } from "../core/control/tau-policy.js";
import { parseDatasetSpec } from "../core/data/dataset-spec.js";
import type { DistributionCase } from "../core/data/partition.js";
import { isTaskKind, TASK_KINDS, type TaskKind } from "../core/data/task.js";
import { type Budget, budgetTable } from "../core/federation/budget.js";
import { parseModelName } from "../core/models/create-model.js";
import type { MinibatchStreams } from "../core/train/node-rng.js";
import { ALL_CASES } from "./case-setting.js";
import { DEFAULT_TAU_MODES, formatTauMode } from "./tau-modes.js";

/** "recorded": drawn from a recorded run's measurements (`costsFrom`). */
export type CostMode = "simulated" | "measured" | "recorded";

/**
 * Everything that defines an experiment. Two experiments with equal settings and
 * `cost: "simulated"` produce identical results.
 */
export interface ExperimentSettings {
  /** Model names, as `parseModelName` reads them ("svm", "logistic", "mlp:64"...). */
  readonly models: readonly string[];
  /** "mnist", "idx:DIR" or "csv:FILE". */
  readonly dataset: string;
  /** "even-odd", "digits" or "value". */
  readonly task: TaskKind;
  readonly nodes: number;
  readonly cases: readonly DistributionCase[];
  readonly taus: readonly TauMode[];
  /** How adaptive tau is controlled: "fedtau" (default) or the paper's exact rules. */
  readonly control: ControlMode;
  /**
   * Budget of every run: a number is a time budget in (measured or simulated) seconds; a table
   * adds a "bytes" budget (the bytes the runs' frames would take on a WebSocket). Every run
   * stops at whichever binds; time is required (the runs have no round limit).
   */
  readonly budget: Budget;
  readonly cost: CostMode;
  /** With cost "recorded": the recorded run (its directory) whose measured costs are drawn. */
  readonly costsFrom: string | null;
  /** Factor on the simulated cost of one local update (c). */
  readonly localCostScale: number;
  /** Factor on the simulated cost of one aggregation (b). */
  readonly globalCostScale: number;
  /** Minibatch size for SGD; undefined = full-batch gradient descent. */
  readonly sgd: number | undefined;
  /** Under SGD, whether all nodes draw from one seed (the authors' way) or each from its own. */
  readonly minibatches: MinibatchStreams;
  readonly eta: number;
  readonly phi: number;
  readonly seed: number;
}

/** What a caller may give: any subset; the rest takes the defaults. */
export type ExperimentOptions = Partial<Omit<ExperimentSettings, "task">> & {
  /** Checked against the task names. */
  readonly task?: string;
};

export const DEFAULT_SETTINGS: ExperimentSettings = {
  models: ["svm"],
  dataset: "mnist",
  task: "even-odd",
  nodes: 5,
  cases: ALL_CASES,
  taus: DEFAULT_TAU_MODES,
  control: DEFAULT_CONTROL,
  budget: 15,
  cost: "simulated",
  costsFrom: null,
  localCostScale: 1,
  globalCostScale: 1,
  sgd: undefined,
  minibatches: "shared",
  eta: 0.01,
  phi: 0.025,
  seed: 1,
};

/** Fills in defaults and checks every value; throws an Error naming the bad option. */
export function resolveSettings(options: ExperimentOptions = {}): ExperimentSettings {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const s = { ...DEFAULT_SETTINGS, ...defined } as {
    -readonly [K in keyof ExperimentSettings]: ExperimentSettings[K];
  };
  if (s.models.length === 0) throw new Error("No model given");
  if (new Set(s.models).size !== s.models.length) throw new Error("A model is listed twice");
  for (const m of s.models) parseModelName(m);
  parseDatasetSpec(s.dataset);
  if (!isTaskKind(s.task)) {
    throw new Error(`Unknown task "${s.task}": expected ${TASK_KINDS.join(", ")}`);
  }
  requireInteger("nodes", s.nodes, 1, 1000);
  if (s.cases.length === 0) throw new Error("No case given");
  for (const c of s.cases) {
    if (!ALL_CASES.includes(c)) throw new Error(`Unknown case ${c}: expected 1, 2, 3 or 4`);
  }
  if (new Set(s.cases).size !== s.cases.length) throw new Error("A case is listed twice");
  if (s.taus.length === 0) throw new Error("No tau setting given");
  for (const t of s.taus) {
    if (t !== "adaptive" && !(Number.isInteger(t) && t >= 1)) {
      throw new Error(`Bad tau setting ${t}: expected "adaptive" or a positive integer`);
    }
  }
  if (new Set(s.taus.map(formatTauMode)).size !== s.taus.length) {
    throw new Error("A tau setting is listed twice");
  }
  if (!CONTROL_MODES.includes(s.control)) {
    throw new Error(`Bad control "${s.control}": expected ${CONTROL_MODES.join(" or ")}`);
  }
  requireBudget(s.budget);
  if (s.cost !== "simulated" && s.cost !== "measured" && s.cost !== "recorded") {
    throw new Error(`Bad cost mode "${s.cost}": expected simulated, measured or recorded`);
  }
  if (s.costsFrom !== null) {
    if (s.cost === "measured") {
      throw new Error("Costs drawn from a record (--costs-from) cannot also be measured");
    }
    s.cost = "recorded";
  } else if (s.cost === "recorded") {
    throw new Error("Recorded costs need the record to draw them from (--costs-from DIR)");
  }
  requirePositive("local cost scale", s.localCostScale);
  requirePositive("global cost scale", s.globalCostScale);
  if (s.sgd !== undefined) requireInteger("SGD batch size", s.sgd, 1, Number.MAX_SAFE_INTEGER);
  if (s.minibatches !== "shared" && s.minibatches !== "independent") {
    throw new Error(`Bad minibatch streams "${s.minibatches}": expected shared or independent`);
  }
  requirePositive("eta", s.eta);
  requirePositive("phi", s.phi);
  requireInteger("seed", s.seed, 0, 0xffffffff);
  return s;
}

/** The resources a simulated run counts, and so can budget. */
export const SIMULATED_RESOURCES = ["time", "bytes"] as const;

function requireBudget(budget: Budget): void {
  if (typeof budget === "number") {
    requirePositive("budget", budget);
    return;
  }
  const table = budgetTable(budget);
  for (const [name, amount] of Object.entries(table)) {
    if (!(SIMULATED_RESOURCES as readonly string[]).includes(name)) {
      throw new Error(
        `Bad budget resource "${name}": expected ${SIMULATED_RESOURCES.join(" or ")}`,
      );
    }
    requirePositive(`${name} budget`, amount as number);
  }
  if (table.time === undefined) {
    throw new Error("Bad budget: no time budget, which every run needs (it has no round limit)");
  }
}

function requirePositive(name: string, v: number): void {
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) {
    throw new Error(`Bad ${name} ${v}: expected a positive number`);
  }
}

function requireInteger(name: string, v: number, min: number, max: number): void {
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    throw new Error(`Bad ${name} ${v}: expected an integer in ${min}..${max}`);
  }
}
