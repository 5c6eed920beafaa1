import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kernels } from "../core/linalg/kernels.js";
import { getKernels, type KernelPreference } from "../core/linalg/select-kernels.js";
import { isWasmKernels } from "../core/linalg/wasm-kernels.js";
import { activeShare, MNIST_DIM, mnistLikeData, weightsWithSlack } from "./mnist-like-data.js";
import { encodeGradientData, NumpyGradient } from "./numpy-gradient.js";
import { median, timeRuns } from "./time-runs.js";

/** The smooth SVM's regulariser, as in the paper's experiments. */
export const BENCH_LAMBDA = 0.1;
/** The sizes timed by default: a node's share of 8,000 MNIST digits over 5 nodes, and all of them. */
export const DEFAULT_BENCH_SIZES: readonly number[] = [1600, 8000];
/** Timed runs per measurement by default (the median is reported). */
export const DEFAULT_BENCH_RUNS = 60;
/** Fewer runs than this make a median too easily swayed by a noisy neighbour. */
export const MIN_BENCH_RUNS = 20;

export interface GradientBenchOptions {
  /** Row counts to time (784 features each). */
  sizes?: number[];
  /** Timed runs per measurement, at least 20 (default 60). */
  runs?: number;
  /** Time numpy too (default true); needs python3 with numpy. */
  numpy?: boolean;
  /** Kernels backend (default "auto"). */
  kernels?: KernelPreference;
  /** Progress lines, for a terminal. */
  onProgress?: (msg: string) => void;
}

export interface GradientBenchSize {
  rows: number;
  cols: number;
  /** Median milliseconds of one full gradient with fedtau's kernels. */
  fedtauMs: number;
  /** Median milliseconds of the same gradient in numpy on one BLAS thread, or null. */
  numpyMs: number | null;
  /** fedtauMs / numpyMs (below 1: fedtau is faster), or null. */
  ratioToNumpy: number | null;
  /** Median milliseconds of a plain SIMD streaming read of the matrix (the memory-bound floor), or null without wasm-simd. */
  boundMs: number | null;
  /** Share of rows with hinge slack at the timed w. */
  activeShare: number;
  /** |g_fedtau - g_numpy| / |g_numpy|, a check that both compute the same gradient, or null. */
  relDiffToNumpy: number | null;
}

export interface GradientBenchResult {
  /** The kernels backend timed. */
  kernels: string;
  runs: number;
  numpy: { available: true; version: string; blas: string } | { available: false; reason: string };
  sizes: GradientBenchSize[];
}

/** Measurements are interleaved in this many rounds, so a burst of load hits all sides alike. */
const ROUNDS = 5;

/** The full smooth-SVM gradient exactly as the model computes it: data term, 1/n, lambda w. */
function svmGradient(
  kernels: Kernels,
  m: ReturnType<Kernels["matrix"]>,
  y: Float64Array,
  w: Float64Array,
  g: Float64Array,
): void {
  kernels.squaredHinge(m, y, w, g);
  const n = m.rows;
  for (let k = 0; k < g.length; k++) g[k] = BENCH_LAMBDA * w[k] + g[k] / n;
}

function relativeDifference(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

/**
 * Times the smooth-SVM full gradient (lambda 0.1) on MNIST-shaped float32 rows with fedtau's
 * kernels, and, in the same run, with numpy on one BLAS thread and as a plain streaming read of
 * the matrix. Each figure is the median of `runs` timed runs after warm-up.
 */
export async function runGradientBench(
  opts: GradientBenchOptions = {},
): Promise<GradientBenchResult> {
  const sizes = opts.sizes ?? [...DEFAULT_BENCH_SIZES];
  const runs = opts.runs ?? DEFAULT_BENCH_RUNS;
  const progress = opts.onProgress ?? (() => {});
  if (!Number.isInteger(runs) || runs < MIN_BENCH_RUNS) {
    throw new RangeError(
      `bench runs must be an integer of at least ${MIN_BENCH_RUNS}, got ${runs}`,
    );
  }
  for (const rows of sizes) {
    if (!Number.isInteger(rows) || rows < 1) {
      throw new RangeError(`bench sizes must be positive row counts, got ${rows}`);
    }
  }
  const kernels = getKernels(opts.kernels ?? "auto");
  const perRound = Math.ceil(runs / ROUNDS);

  let numpy: NumpyGradient | undefined;
  let numpyInfo: GradientBenchResult["numpy"] = {
    available: false,
    reason: "not requested (--no-numpy)",
  };
  if (opts.numpy ?? true) {
    progress("starting python3 with numpy (one BLAS thread)");
    const started = await NumpyGradient.start();
    if (started instanceof NumpyGradient) {
      numpy = started;
      numpyInfo = { available: true, version: started.version, blas: started.blas };
    } else {
      numpyInfo = { available: false, reason: started.unavailable };
      progress(`numpy skipped: ${started.unavailable}`);
    }
  }

  const dir = numpy === undefined ? undefined : await mkdtemp(join(tmpdir(), "fedtau-bench-"));
  const results: GradientBenchSize[] = [];
  try {
    const all = mnistLikeData(Math.max(...sizes), 1);
    for (const rows of sizes) {
      const cols = MNIST_DIM;
      const data = {
        rows,
        dim: cols,
        x: all.x.subarray(0, rows * cols),
        y: all.y.subarray(0, rows),
      };
      progress(`${rows} x ${cols}: preparing weights with realistic slack`);
      const w = weightsWithSlack(kernels, data);
      const active = activeShare(kernels, data, w);
      const m = kernels.matrix(data.x, rows, cols);
      const g = new Float64Array(cols);
      try {
        let relDiff: number | null = null;
        const id = `rows${rows}`;
        if (numpy !== undefined && dir !== undefined) {
          const path = join(dir, `${id}.f32`);
          await writeFile(path, encodeGradientData(data.x, data.y, w, rows, cols));
          const gNumpy = await numpy.load(id, path, rows, cols, BENCH_LAMBDA);
          svmGradient(kernels, m, data.y, w, g);
          relDiff = relativeDifference(g, gNumpy);
          await rm(path);
        }
        const fedtau: number[] = [];
        const np: number[] = [];
        const bound: number[] = [];
        const wasm = isWasmKernels(kernels) ? kernels : undefined;
        for (let round = 0; round < ROUNDS; round++) {
          progress(`${rows} x ${cols}: round ${round + 1}/${ROUNDS}`);
          const warmup = round === 0 ? 10 : 2;
          fedtau.push(...timeRuns(() => svmGradient(kernels, m, data.y, w, g), perRound, warmup));
          if (numpy !== undefined) np.push(...(await numpy.time(id, perRound, warmup)));
          if (wasm !== undefined)
            bound.push(...timeRuns(() => wasm.streamSum(m), perRound, warmup));
        }
        if (numpy !== undefined) await numpy.drop(id);
        const fedtauMs = median(fedtau);
        const numpyMs = np.length > 0 ? median(np) : null;
        results.push({
          rows,
          cols,
          fedtauMs,
          numpyMs,
          ratioToNumpy: numpyMs === null ? null : fedtauMs / numpyMs,
          boundMs: bound.length > 0 ? median(bound) : null,
          activeShare: active,
          relDiffToNumpy: relDiff,
        });
      } finally {
        m.dispose();
      }
    }
  } finally {
    numpy?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
  return { kernels: kernels.name, runs: perRound * ROUNDS, numpy: numpyInfo, sizes: results };
}

function fixed(v: number | null, digits: number): string {
  return v === null ? "-" : v.toFixed(digits);
}

/** The result as a table for a terminal. */
export function formatGradientBench(r: GradientBenchResult): string {
  const header = [
    "rows",
    "fedtau ms",
    "numpy ms",
    "fedtau/numpy",
    "stream read ms",
    "rows w/ slack",
  ];
  const body = r.sizes.map((s) => [
    String(s.rows),
    fixed(s.fedtauMs, 3),
    fixed(s.numpyMs, 3),
    fixed(s.ratioToNumpy, 2),
    fixed(s.boundMs, 3),
    `${Math.round(s.activeShare * 100)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  const cols = r.sizes[0]?.cols ?? MNIST_DIM;
  const numpyLine = r.numpy.available
    ? `numpy ${r.numpy.version} (${r.numpy.blas}), one BLAS thread, float32`
    : `numpy not timed: ${r.numpy.reason}`;
  return [
    `Smooth-SVM gradient (lambda ${BENCH_LAMBDA}, ${cols} float32 features), ${r.kernels} kernels, median of ${r.runs} runs`,
    line(header),
    ...body.map(line),
    numpyLine,
    ...(r.sizes.some((s) => s.boundMs !== null)
      ? [
          "stream read: one SIMD pass summing the matrix as the kernels store it (all-zero columns dropped), the memory-bound floor of one pass",
        ]
      : []),
  ].join("\n");
}
