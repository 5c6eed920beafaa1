import { type Command, Option } from "commander";
import { parseDatasetSpec } from "../core/data/dataset-spec.js";
import type { Budget } from "../core/federation/budget.js";
import { parseModelName } from "../core/models/create-model.js";
import { caseLabel, parseCases } from "../experiment/case-setting.js";
import { summariseCases } from "../experiment/case-summary.js";
import { DEFAULT_SETTINGS, type ExperimentOptions } from "../experiment/experiment-options.js";
import { createProgressDisplay } from "../experiment/progress-display.js";
import { runExperiment } from "../experiment/run-experiment.js";
import { formatTauMode, parseTauModes } from "../experiment/tau-modes.js";
import { budgetProblem } from "./budget-spec.js";
import {
  argParser,
  budgetOption,
  controlOption,
  etaOption,
  integerArg,
  phiOption,
  positiveArg,
  sgdOption,
  taskOption,
} from "./learning-options.js";

const DEFAULT_OUT = "./experiment-out";

interface ExperimentFlags {
  model: string[];
  dataset: string;
  task: string;
  nodes: number;
  cases: ExperimentOptions["cases"];
  taus: ExperimentOptions["taus"];
  control: "fedtau" | "paper";
  budget: Budget;
  cost: "simulated" | "measured";
  costsFrom?: string;
  record?: boolean;
  localCostScale: number;
  globalCostScale: number;
  sgd?: number;
  minibatches: "shared" | "independent";
  eta: number;
  phi: number;
  seed: number;
  out: string;
  quiet?: boolean;
}

/** Registers `fedtau experiment`: adaptive against fixed tau over cases, with result files. */
export function registerExperimentCommand(program: Command): Command {
  return program
    .command("experiment")
    .summary("compare adaptive tau with fixed tau over data distributions")
    .description(
      [
        "Runs --model on --nodes simulated nodes once per data distribution case and",
        "tau setting, every run under the same budget and seed, and writes into",
        "--out DIR:",
        "  results.csv, results.json  one row per run: final loss on the full training",
        "                             data, test accuracy, mean tau (sum tau^2 / sum",
        "                             tau), rounds, local iterations, final beta,",
        "                             delta, rho, budget and spent per resource,",
        "                             which resource ended the run",
        "  rounds.csv                 every round of every run",
        "  report.html                an offline page: per case, loss and accuracy",
        "                             against fixed tau with adaptive tau marked, and",
        "                             tau over time in the adaptive run",
        "",
        "Cases: 1 uniform, 2 non-uniform (by label), 3 replicated, 4 mixed.",
        "Under --sgd with shared minibatch streams, case 3 also runs with independent",
        "ones, shown beside it: shared streams keep its replicas identical, so its",
        "fixed-tau runs all follow one trajectory.",
        "With --cost simulated (the default), the costs of local updates (c) and",
        "aggregations (b) come from a seeded model of the authors' SVM measurements,",
        "so equal flags give identical files on every machine (the report's",
        "timestamp aside); --cost measured times the real computation instead, as",
        "if the simulated nodes ran side by side (they run one after another, so a",
        "run takes about --nodes times its budget on the clock).",
        "",
        "--budget 15 is a time budget of 15 (simulated) seconds per run;",
        "--budget time=15,bytes=2MB adds a byte budget: the bytes the runs' RoundStart",
        "and RoundResult frames would take on a networked node's WebSocket. Every run",
        "stops at whichever binds, and adaptive tau is searched under both.",
        "",
        "--costs-from DIR draws them, seeded, from a recorded run's measurements (an",
        "aggregator's --out: each node's seconds per local update, the slowest node",
        "setting the round's local time, and b of the rounds that lost no node), so",
        "adaptive and fixed tau are compared on one real network's costs.",
        "",
        "--record also keeps each run's record in --out DIR/runs/<model>-case<k>-<tau>/:",
        "rounds.jsonl (every round event, about 2 KB a round) and controller.json, which",
        "`fedtau replay DIR` checks decision by decision.",
      ].join("\n"),
    )
    .addOption(
      new Option(
        "--model <names>",
        "model(s), comma-separated: svm, logistic, softmax, linear, ...",
      )
        .default([...DEFAULT_SETTINGS.models], DEFAULT_SETTINGS.models.join(","))
        .argParser(parseModels),
    )
    .addOption(
      new Option(
        "--dataset <spec>",
        'data set: "mnist" (embedded, 8,000 train / 2,000 test), "idx:DIR" or "csv:FILE"',
      )
        .default(DEFAULT_SETTINGS.dataset)
        .argParser(
          argParser((text) => {
            parseDatasetSpec(text);
            return text;
          }),
        ),
    )
    .addOption(taskOption())
    .addOption(
      new Option("--nodes <n>", "number of edge nodes")
        .default(DEFAULT_SETTINGS.nodes)
        .argParser(integerArg("--nodes", 1)),
    )
    .addOption(
      new Option("--cases <list>", "data distribution cases, comma-separated (1-4 or names)")
        .default([...DEFAULT_SETTINGS.cases], DEFAULT_SETTINGS.cases.join(","))
        .argParser(argParser(parseCases)),
    )
    .addOption(
      new Option("--taus <list>", 'tau settings, comma-separated: "adaptive" and/or fixed values')
        .default([...DEFAULT_SETTINGS.taus], DEFAULT_SETTINGS.taus.map(formatTauMode).join(","))
        .argParser(argParser(parseTauModes)),
    )
    .addOption(controlOption())
    .addOption(budgetOption("budget of every run (simulated seconds)", DEFAULT_SETTINGS.budget))
    .addOption(
      new Option("--cost <source>", "where the costs c and b come from")
        .choices(["simulated", "measured"])
        .default(DEFAULT_SETTINGS.cost),
    )
    .addOption(
      new Option(
        "--costs-from <dir>",
        "draw c and b from this recorded run's measurements (a directory with rounds.jsonl) instead of the simulated model",
      ),
    )
    .addOption(
      new Option(
        "--local-cost-scale <factor>",
        "factor on the simulated cost of a local update (c)",
      )
        .default(DEFAULT_SETTINGS.localCostScale)
        .argParser(positiveArg("--local-cost-scale")),
    )
    .addOption(
      new Option(
        "--global-cost-scale <factor>",
        "factor on the simulated cost of an aggregation (b): larger gives larger tau",
      )
        .default(DEFAULT_SETTINGS.globalCostScale)
        .argParser(positiveArg("--global-cost-scale")),
    )
    .addOption(sgdOption())
    .addOption(
      new Option(
        "--minibatches <streams>",
        "with --sgd: shared (every node seeded alike, as the authors: case-3 replicas stay identical, so case 3 also runs with independent ones) or independent (one stream per node)",
      )
        .choices(["shared", "independent"])
        .default(DEFAULT_SETTINGS.minibatches),
    )
    .addOption(etaOption())
    .addOption(phiOption())
    .addOption(
      new Option("--seed <n>", "seed of every random choice (minibatches, simulated costs)")
        .default(DEFAULT_SETTINGS.seed)
        .argParser(integerArg("--seed", 0)),
    )
    .option("--out <dir>", "directory for the result files (created if missing)", DEFAULT_OUT)
    .option(
      "--record",
      "also keep each run's record (rounds.jsonl, controller.json) in --out/runs/",
    )
    .option("--quiet", "no progress and no summary; only errors")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  fedtau experiment --sgd 100 --out results/svm",
        "  fedtau experiment --sgd 100 --global-cost-scale 10 --cases 2,4 --out results/slow-net",
        "  fedtau experiment --cases 1 --taus adaptive,1,10 --budget 5 --out /tmp/quick",
        "  fedtau experiment --sgd 100 --cases 1 --taus adaptive,10 --budget time=15,bytes=2MB",
        "  fedtau experiment --sgd 100 --costs-from aggregator-out --out results/my-network",
        "  fedtau experiment --cases 1 --record --out exp && fedtau replay exp",
      ].join("\n"),
    )
    .action(async (flags: ExperimentFlags) => {
      await experimentAction(flags);
    });
}

async function experimentAction(flags: ExperimentFlags): Promise<void> {
  const problem = budgetProblem(flags.budget, {
    adaptive: (flags.taus ?? DEFAULT_SETTINGS.taus).includes("adaptive"),
  });
  if (problem !== null) throw new Error(problem);
  const display = flags.quiet ? undefined : createProgressDisplay(process.stderr);
  let result: Awaited<ReturnType<typeof runExperiment>>;
  try {
    result = await runExperiment(
      {
        models: flags.model,
        dataset: flags.dataset,
        task: flags.task,
        nodes: flags.nodes,
        cases: flags.cases,
        taus: flags.taus,
        control: flags.control,
        budget: flags.budget,
        cost: flags.cost,
        costsFrom: flags.costsFrom ?? null,
        localCostScale: flags.localCostScale,
        globalCostScale: flags.globalCostScale,
        sgd: flags.sgd,
        minibatches: flags.minibatches,
        eta: flags.eta,
        phi: flags.phi,
        seed: flags.seed,
        out: flags.out,
        record: flags.record === true,
      },
      display?.listener,
    );
  } finally {
    display?.stop();
  }
  if (flags.quiet) return;
  const lines: string[] = [];
  for (const s of summariseCases(result.runs)) {
    const parts: string[] = [];
    if (s.adaptive) {
      parts.push(
        `adaptive loss ${s.adaptive.finalLoss.toPrecision(5)} (mean tau ${Number(s.adaptive.meanTau.toPrecision(4))})`,
      );
    }
    if (s.bestFixed) {
      parts.push(
        `best fixed tau=${formatTauMode(s.bestFixed.tauMode)} loss ${s.bestFixed.finalLoss.toPrecision(5)}`,
      );
    }
    if (Number.isFinite(s.ratioToBest)) parts.push(`ratio ${s.ratioToBest.toFixed(4)}`);
    if (Number.isFinite(s.ratioToTauOne)) parts.push(`vs tau=1 ${s.ratioToTauOne.toFixed(4)}`);
    lines.push(`${s.model} case ${caseLabel(s.case, s.minibatches)}: ${parts.join(", ")}`);
  }
  lines.push(
    `${result.runs.length} runs in ${result.wallSeconds.toFixed(1)} s; wrote ${result.files.join(", ")}`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

const parseModels = argParser((text: string): string[] => {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new Error(`Empty model name in "${text}"`);
  if (new Set(items).size !== items.length) throw new Error("A model is listed twice");
  for (const m of items) parseModelName(m);
  return items;
});
