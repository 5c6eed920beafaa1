import { resolve } from "node:path";
import type { AggregatorOptions } from "../aggregator/aggregator.js";
import { canonical } from "../aggregator/checkpoint.js";
import { CheckpointError } from "../aggregator/checkpoint-file.js";
import type { ResumePoint } from "../aggregator/checkpoint-resume.js";
import type { LearningSetup } from "../aggregator/learning-setup.js";

/** The flags of `fedtau aggregator` that say what to run: with --resume they come from the checkpoint. */
const SETUP_FLAGS: readonly (keyof LearningSetup)[] = [
  "model",
  "dataset",
  "task",
  "sgd",
  "eta",
  "phi",
  "seed",
  "budget",
  "rounds",
];

const FLAG_NAMES: Readonly<Record<string, string>> = { minNodes: "--min-nodes" };

/**
 * The options of `fedtau aggregator --resume DIR`: what to run (the learning setup, the cases and
 * tau values, --nodes, --min-nodes, --runs) is the checkpoint's, and the files go on in DIR;
 * how to run it (--host, --port, --token, --delay, --round-timeout, the log) is the flags'. A
 * what-to-run flag given on the command line must say what the checkpoint says: else a
 * CheckpointError naming the file lists the differences.
 *
 * `options`: the options from the flags; `given(name)`: the flag was on the command line (or
 * in the environment), not a default.
 */
export function resumedOptions(
  options: AggregatorOptions,
  point: ResumePoint,
  given: (name: string) => boolean,
): AggregatorOptions {
  const plan = point.checkpoint.plan;
  const diffs: string[] = [];
  const differs = (name: string, here: unknown, saved: unknown) => {
    if (!given(name)) return;
    const a = canonical(here);
    const b = canonical(saved);
    if (a !== b) {
      const flag = FLAG_NAMES[name] ?? `--${name}`;
      diffs.push(`${flag} ${a ?? "none"} given, ${b ?? "none"} in the checkpoint`);
    }
  };
  for (const key of SETUP_FLAGS) differs(key, options.setup[key], plan.setup[key]);
  const variantsHere = options.variants ?? [{ case: options.setup.case, tau: options.setup.tau }];
  const variantsSaved =
    plan.variants.length > 0 ? plan.variants : [{ case: plan.setup.case, tau: plan.setup.tau }];
  differs(
    "case",
    variantsHere.map((v) => v.case),
    variantsSaved.map((v) => v.case),
  );
  differs(
    "tau",
    variantsHere.map((v) => v.tau),
    variantsSaved.map((v) => v.tau),
  );
  differs("nodes", options.nodes, plan.nodes);
  differs("minNodes", options.minNodes ?? null, plan.minNodes);
  differs("runs", options.runs, plan.runs);
  if (given("out") && options.out !== undefined && resolve(options.out) !== resolve(point.dir)) {
    diffs.push(`--out ${options.out} given: a resumed run writes on in ${point.dir}`);
  }
  if (diffs.length > 0) {
    throw new CheckpointError(
      point.path,
      `Cannot resume from ${point.path}: ${diffs.join("; ")}. Leave those flags out (the checkpoint says what to run) or start a new run in another --out directory`,
    );
  }
  const { minNodes: _minNodes, variants: _variants, ...rest } = options;
  return {
    ...rest,
    nodes: plan.nodes,
    ...(plan.minNodes === null ? {} : { minNodes: plan.minNodes }),
    runs: plan.runs,
    setup: plan.setup,
    ...(plan.variants.length > 0 ? { variants: plan.variants } : {}),
    out: point.dir,
    resumeFrom: point,
  };
}
