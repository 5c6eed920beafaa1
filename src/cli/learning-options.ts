import { InvalidArgumentError, Option } from "commander";
import { CONTROL_MODES, DEFAULT_CONTROL } from "../core/control/control-mode.js";
import { parseDatasetSpec } from "../core/data/dataset-spec.js";
import { TASK_KINDS, type TaskKind } from "../core/data/task.js";
import { type Budget, formatBudget } from "../core/federation/budget.js";
import { type ModelSpec, parseModelName } from "../core/models/create-model.js";
import { DEFAULT_SETTINGS } from "../experiment/experiment-options.js";
import { parseBudget } from "./budget-spec.js";

/**
 * The learning flags `fedtau experiment` and the networked commands share (`--model --dataset
 * --task --sgd --eta --phi --seed --budget`), with the same defaults (DEFAULT_SETTINGS) and the
 * same error sentences, so that a run described by flags means the same in the simulator and on
 * the network.
 */

/** A commander argument parser from a function that throws an Error with a readable message. */
export function argParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (e) {
      throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
    }
  };
}

/** An integer >= min (and <= max), e.g. `--nodes needs an integer >= 1, got "x"`. */
export function integerArg(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return argParser((text) => {
    const t = text.trim();
    const n = Number(t);
    if (!/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new Error(`${flag} needs an integer ${range}, got "${text}"`);
    }
    return n;
  });
}

/** A finite number > 0. */
export function positiveArg(flag: string) {
  return argParser((text) => {
    const n = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(n) || n <= 0) {
      throw new Error(`${flag} needs a positive number, got "${text}"`);
    }
    return n;
  });
}

/** The values of the shared learning flags after parsing. */
export interface LearningFlags {
  model: ModelSpec;
  dataset: string;
  task: TaskKind;
  sgd?: number;
  eta: number;
  phi: number;
  seed: number;
  /** Undefined when not given: each command applies its own rule. */
  budget?: Budget;
}

/** `--model NAME`: one model. */
export function modelOption(): Option {
  return new Option("--model <name>", "model: svm, logistic, softmax, linear, kmeans or mlp")
    .default(parseModelName(DEFAULT_SETTINGS.models[0]), DEFAULT_SETTINGS.models[0])
    .argParser(argParser(parseModelName));
}

export function datasetOption(): Option {
  return new Option(
    "--dataset <spec>",
    'data set every node loads: "mnist" (embedded, 8,000 train / 2,000 test), "idx:DIR" or "csv:FILE"',
  )
    .default(DEFAULT_SETTINGS.dataset)
    .argParser(
      argParser((text) => {
        parseDatasetSpec(text);
        return text;
      }),
    );
}

export function taskOption(): Option {
  return new Option(
    "--task <task>",
    "what the labels mean: even-odd (+1/-1), digits (10 classes) or value (regression)",
  )
    .choices(TASK_KINDS)
    .default(DEFAULT_SETTINGS.task);
}

export function sgdOption(): Option {
  return new Option(
    "--sgd <batch>",
    "stochastic gradient descent on minibatches of this size (absent: full-batch descent)",
  ).argParser(integerArg("--sgd", 1));
}

/** `--control fedtau|paper`: how adaptive tau is controlled. */
export function controlOption(): Option {
  return new Option(
    "--control <mode>",
    "adaptive tau control: fedtau (plans for the budget left, robust costs, estimates from round 1) or paper (the authors' exact rules, docs/algorithm.md)",
  )
    .choices(CONTROL_MODES)
    .default(DEFAULT_CONTROL);
}

export function etaOption(): Option {
  return new Option("--eta <step>", "step size of the local updates")
    .default(DEFAULT_SETTINGS.eta)
    .argParser(positiveArg("--eta"));
}

export function phiOption(): Option {
  return new Option("--phi <value>", "control parameter of the tau search (0.025 for SVM)")
    .default(DEFAULT_SETTINGS.phi)
    .argParser(positiveArg("--phi"));
}

export function seedOption(): Option {
  return new Option("--seed <n>", "seed of every random choice (minibatches, initial weights)")
    .default(DEFAULT_SETTINGS.seed)
    .argParser(integerArg("--seed", 0, 0xffffffff));
}

/** What every command's `--budget` help says after its own words. */
export const BUDGET_FORMS =
  "SECONDS (90s, 2m) or a budget per resource, time=SECONDS,bytes=AMOUNT (B, kB, MB, GB decimal; KiB, MiB, GiB binary): the run stops at whichever binds";

/**
 * `--budget SECONDS` or `--budget time=15,bytes=20MB` (parseBudget); without a `fallback`, no
 * commander default, so that a command can tell it was not given.
 */
export function budgetOption(description: string, fallback?: Budget): Option {
  const option = new Option("--budget <spec>", `${description}: ${BUDGET_FORMS}`).argParser(
    argParser(parseBudget),
  );
  return fallback === undefined ? option : option.default(fallback, formatBudget(fallback));
}

/** The shared learning flags, in the order --help lists them. */
export function learningOptions(budgetDescription: string): Option[] {
  return [
    modelOption(),
    datasetOption(),
    taskOption(),
    sgdOption(),
    etaOption(),
    phiOption(),
    seedOption(),
    budgetOption(budgetDescription),
  ];
}
