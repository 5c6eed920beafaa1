import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeScaleDataset } from "./scale-data.js";
import type { ScaleWorkerConfig, ScaleWorkerResult } from "./scale-worker.js";

export const DEFAULT_SCALE_NODES: readonly number[] = [5, 50, 200, 1000];
export const DEFAULT_SCALE_SAMPLES = 20;
export const DEFAULT_SCALE_ROUNDS = 30;
export const SCALE_WARMUP_ROUNDS = 5;
/** From this many nodes on, the clients run in two processes (else one). */
const TWO_PROCESSES_FROM = 100;

export interface ScaleOptions {
  /** Node counts to measure, each in a fresh aggregator process. */
  readonly nodes?: readonly number[];
  /** Training digits per node. */
  readonly samplesPerNode?: number;
  /** Timed rounds per point (after SCALE_WARMUP_ROUNDS untimed ones). */
  readonly rounds?: number;
  readonly warmupRounds?: number;
  readonly onProgress?: (msg: string) => void;
}

/** One node count: `fedtau bench --scale --json` lists these under `scale`. */
export interface ScalePoint {
  readonly nodes: number;
  /** Median aggregator round overhead b, ms (round wall time minus the slowest local time). */
  readonly overheadMs: number;
  /** overheadMs / nodes. */
  readonly perNodeMs: number;
  /** Peak resident set and peak V8 heap in use of the aggregator's process, MiB. */
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly peakArrayBuffersMb: number;
  readonly wallMs: number;
  readonly rounds: number;
  readonly processes: number;
  readonly modelSize: number;
  readonly samplesPerNode: number;
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const WORKER = join(root, "dist", "bench", "scale-worker.js");
const BIN = join(root, "bin", "fedtau.js");

/**
 * The aggregator under load: for each node count, an aggregator in a process of its own and the
 * nodes in one or two `fedtau node --count K` processes on 127.0.0.1, tau-1 rounds of the
 * 784-weight SVM with `samplesPerNode` digits per node. Reports the median round overhead b, b
 * per node, and the aggregator process's peak memory.
 */
export async function runScaleBench(o: ScaleOptions = {}): Promise<ScalePoint[]> {
  if (!existsSync(WORKER)) {
    throw new Error(`The scale bench runs ${WORKER}, which needs dist/: run \`npm run build\``);
  }
  const progress = o.onProgress ?? (() => {});
  const samples = o.samplesPerNode ?? DEFAULT_SCALE_SAMPLES;
  const points: ScalePoint[] = [];
  for (const nodes of o.nodes ?? DEFAULT_SCALE_NODES) {
    const dir = mkdtempSync(join(tmpdir(), "fedtau-scale-"));
    try {
      await writeScaleDataset(dir, nodes * samples);
      const config: ScaleWorkerConfig = {
        nodes,
        processes: nodes >= TWO_PROCESSES_FROM ? 2 : 1,
        dataDir: dir,
        warmupRounds: o.warmupRounds ?? SCALE_WARMUP_ROUNDS,
        rounds: o.rounds ?? DEFAULT_SCALE_ROUNDS,
        bin: BIN,
      };
      progress(
        `scale: ${nodes} nodes (${config.processes} node process${config.processes > 1 ? "es" : ""}, ${samples} samples each), ${config.rounds} timed rounds of tau 1`,
      );
      const r = await runWorker(config);
      points.push({
        nodes: r.nodes,
        overheadMs: r.overheadMs,
        perNodeMs: r.overheadMs / r.nodes,
        peakRssMb: r.peakRssMb,
        peakHeapMb: r.peakHeapMb,
        peakArrayBuffersMb: r.peakArrayBuffersMb,
        wallMs: r.wallMs,
        rounds: r.rounds,
        processes: r.processes,
        modelSize: r.modelSize,
        samplesPerNode: samples,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return points;
}

function runWorker(config: ScaleWorkerConfig): Promise<ScaleWorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || line === "") {
        reject(new Error(`The scale run of ${config.nodes} nodes failed (${code}): ${err.trim()}`));
        return;
      }
      resolve(JSON.parse(line) as ScaleWorkerResult);
    });
  });
}

/** The points as a table for a terminal. */
export function formatScale(points: readonly ScalePoint[]): string {
  const first = points[0];
  const head = first
    ? `Aggregator at scale: ${first.modelSize}-weight SVM, tau 1, ${first.samplesPerNode} samples per node, nodes in 1-2 \`fedtau node --count\` processes on 127.0.0.1, median of the timed rounds`
    : "Aggregator at scale: no points";
  const rows = points.map(
    (p) =>
      `  ${String(p.nodes).padStart(5)}  ${p.overheadMs.toFixed(2).padStart(10)}  ${(p.perNodeMs * 1000).toFixed(1).padStart(12)}  ${p.peakRssMb.toFixed(1).padStart(12)}  ${p.peakHeapMb.toFixed(1).padStart(13)}`,
  );
  return [head, "  nodes  b ms/round  b/node (us)  peak RSS MiB  peak heap MiB", ...rows].join(
    "\n",
  );
}
