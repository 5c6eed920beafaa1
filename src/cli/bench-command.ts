import { type Command, InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_BENCH_RUNS,
  DEFAULT_BENCH_SIZES,
  formatGradientBench,
  MIN_BENCH_RUNS,
  runGradientBench,
} from "../bench/gradient-bench.js";
import { formatRoundOverhead, runRoundOverheadBench } from "../bench/round-overhead.js";
import type { KernelPreference } from "../core/linalg/select-kernels.js";

export interface BenchCommandOptions {
  json?: boolean;
  runs: number;
  sizes: number[];
  numpy: boolean;
  kernels: KernelPreference;
  round: boolean;
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
    .addOption(
      new Option("--kernels <backend>", "kernels to time")
        .choices(["auto", "reference", "wasm-simd"])
        .default("auto"),
    )
    .action(async (opts: BenchCommandOptions) => {
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
