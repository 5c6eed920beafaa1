import { type Command, InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_BENCH_RUNS,
  DEFAULT_BENCH_SIZES,
  formatGradientBench,
  MIN_BENCH_RUNS,
  runGradientBench,
} from "../bench/gradient-bench.js";
import { formatRoundOverhead, runRoundOverheadBench } from "../bench/round-overhead.js";
import {
  DEFAULT_SCALE_NODES,
  DEFAULT_SCALE_ROUNDS,
  DEFAULT_SCALE_SAMPLES,
  formatScale,
  runScaleBench,
} from "../bench/scale.js";
import type { KernelPreference } from "../core/linalg/select-kernels.js";

export interface BenchCommandOptions {
  json?: boolean;
  runs: number;
  sizes: number[];
  numpy: boolean;
  kernels: KernelPreference;
  round: boolean;
  scale?: boolean;
  scaleNodes: number[];
  scaleRounds: number;
  scaleSamples: number;
}

function parseCounts(value: string): number[] {
  const counts = value.split(",").map((v) => Number(v.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
    throw new InvalidArgumentError(
      `expected comma-separated node counts from 1 to 10000, got "${value}"`,
    );
  }
  return counts;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected an integer of at least 1, got "${value}"`);
  }
  return n;
}

function parseRuns(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_BENCH_RUNS) {
    throw new InvalidArgumentError(
      `expected an integer of at least ${MIN_BENCH_RUNS}, got "${value}"`,
    );
  }
  return n;
}

function parseSizes(value: string): number[] {
  const sizes = value.split(",").map((v) => Number(v.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`expected comma-separated positive row counts, got "${value}"`);
  }
  return sizes;
}

/** Where the command writes: stdout for the result, stderr for progress (swappable in tests). */
export interface BenchOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processOutput: BenchOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Adds `fedtau bench` to the program. */
export function registerBenchCommand(
  program: Command,
  output: BenchOutput = processOutput,
): Command {
  return program
    .command("bench")
    .description(
      "Time the smooth-SVM gradient (lambda 0.1) on MNIST-shaped rows of 784 float32 features (1,600 and 8,000 rows by default) " +
        "with fedtau's kernels, against the same gradient in numpy on one BLAS thread (when python3 with numpy " +
        "is installed) and against a plain streaming read of the matrix (the memory-bound floor). " +
        "Reports medians; progress goes to stderr.",
    )
    .option("--json", "print one JSON object on stdout instead of a table")
    .option(
      "--runs <n>",
      `timed runs per measurement, the median is reported (at least ${MIN_BENCH_RUNS})`,
      parseRuns,
      DEFAULT_BENCH_RUNS,
    )
    .option("--sizes <rows>", "row counts to time, comma-separated", parseSizes, [
      ...DEFAULT_BENCH_SIZES,
    ])
    .option("--no-numpy", "do not time numpy (no python3 needed)")
    .option(
      "--no-round",
      "do not time the round overhead (b of tau-1 rounds with five local `fedtau node` processes, next to a raw TCP ping of the same bytes)",
    )
    .option(
      "--scale",
      "instead: the aggregator at scale, for 5, 50, 200 and 1,000 nodes (in 1-2 `fedtau node --count` processes, 20 samples each): median round overhead b, b per node, peak memory of the aggregator process",
    )
    .option("--scale-nodes <counts>", "node counts for --scale, comma-separated", parseCounts, [
      ...DEFAULT_SCALE_NODES,
    ])
    .option(
      "--scale-rounds <n>",
      "timed tau-1 rounds per node count for --scale",
      parsePositive,
      DEFAULT_SCALE_ROUNDS,
    )
    .option(
      "--scale-samples <n>",
      "training samples per node for --scale",
      parsePositive,
      DEFAULT_SCALE_SAMPLES,
    )
    .addOption(
      new Option("--kernels <backend>", "kernels to time")
        .choices(["auto", "reference", "wasm-simd"])
        .default("auto"),
    )
    .action(async (opts: BenchCommandOptions) => {
      if (opts.scale === true) {
        const scale = await runScaleBench({
          nodes: opts.scaleNodes,
          rounds: opts.scaleRounds,
          samplesPerNode: opts.scaleSamples,
          onProgress: (msg) => output.err(msg),
        });
        output.out(opts.json ? JSON.stringify({ scale }) : formatScale(scale));
        return;
      }
      const result = await runGradientBench({
        runs: opts.runs,
        sizes: opts.sizes,
        numpy: opts.numpy,
        kernels: opts.kernels,
        onProgress: (msg) => output.err(msg),
      });
      const round = opts.round
        ? await runRoundOverheadBench({ onProgress: (msg) => output.err(msg) })
        : undefined;
      output.out(
        opts.json
          ? JSON.stringify(round === undefined ? result : { ...result, round })
          : [formatGradientBench(result), ...(round ? [formatRoundOverhead(round)] : [])].join(
              "\n\n",
            ),
      );
    });
}
