import { type ChildProcess, spawn } from "node:child_process";
import { Aggregator } from "../aggregator/aggregator.js";
import { loadDataset } from "../datasets/load-dataset.js";
import { median } from "./time-runs.js";

/**
 * One point of `fedtau bench --scale`, in a process of its own so that its peak memory is the
 * aggregator's alone: an aggregator in this process, `nodes` clients in `processes` child
 * processes (`fedtau node --count K`), tau-1 rounds of the 784-weight SVM, each node with
 * `samplesPerNode` digits (case 1 of the IDX directory written for it). Prints one JSON line.
 *
 * Usage: node dist/bench/scale-worker.js '{"nodes":200,...}' (see ScaleWorkerConfig).
 */
export interface ScaleWorkerConfig {
  readonly nodes: number;
  readonly processes: number;
  /** The IDX directory of nodes x samplesPerNode training digits. */
  readonly dataDir: string;
  readonly warmupRounds: number;
  readonly rounds: number;
  /** bin/fedtau.js */
  readonly bin: string;
}

export interface ScaleWorkerResult {
  readonly nodes: number;
  readonly processes: number;
  readonly modelSize: number;
  /** Timed rounds, and the median b (round wall time minus the slowest local time), ms. */
  readonly rounds: number;
  readonly overheadMs: number;
  readonly wallMs: number;
  /** Peak resident set and peak V8 heap in use of the aggregator process, MiB. */
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  /** Peak memory of ArrayBuffers (received frames, vectors), MiB. */
  readonly peakArrayBuffersMb: number;
  /** Seconds from start to every node being ready. */
  readonly joinSeconds: number;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as ScaleWorkerConfig;
  const spec = `idx:${config.dataDir}`;
  const data = await loadDataset(spec);
  let peakHeap = 0;
  let peakArrayBuffers = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
  };
  const sampler = setInterval(sample, 5);
  const b: number[] = [];
  const wall: number[] = [];
  const t0 = performance.now();
  let joined = 0;
  const aggregator = await Aggregator.start({
    nodes: config.nodes,
    runs: 1,
    data,
    setup: {
      model: { kind: "svm" },
      dataset: spec,
      task: "even-odd",
      case: 1,
      tau: 1,
      eta: 0.01,
      phi: 0.025,
      seed: 1,
      rounds: config.warmupRounds + config.rounds,
    },
    // Load, not lateness, is measured: no node may be left out by a deadline.
    deadlineFloorMs: 60_000,
    roundTimeoutMs: 300_000,
    onEvent: (event) => {
      if (event.type !== "round") return;
      const e = event.event;
      sample();
      if (e.round === 1) joined = (performance.now() - t0) / 1000;
      if (e.round <= config.warmupRounds || e.kind === "evaluation") return;
      const time = e.costs.time;
      if (time?.b === null || time?.b === undefined) return;
      b.push(time.b * 1000);
      wall.push(e.wallSeconds * 1000);
    },
  });
  const children: ChildProcess[] = [];
  try {
    const per = Math.ceil(config.nodes / config.processes);
    for (let p = 0; p < config.processes; p++) {
      const count = Math.min(per, config.nodes - p * per);
      if (count <= 0) break;
      children.push(
        spawn(
          process.execPath,
          [
            config.bin,
            "node",
            "--aggregator",
            aggregator.url,
            "--name",
            `s${p + 1}`,
            "--count",
            String(count),
            "--quiet",
          ],
          { stdio: ["ignore", "ignore", "inherit"] },
        ),
      );
    }
    const [summary] = await aggregator.done;
    if (summary === undefined || summary.status !== "completed") {
      throw new Error(`The scale run did not complete: ${summary?.error ?? "no run"}`);
    }
  } finally {
    clearInterval(sampler);
    await aggregator.close();
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) c.kill();
  }
  if (b.length === 0) throw new Error("The scale run timed no round");
  const result: ScaleWorkerResult = {
    nodes: config.nodes,
    processes: children.length,
    modelSize: data.train.dim,
    rounds: b.length,
    overheadMs: median(b),
    wallMs: median(wall),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / MB,
    peakArrayBuffersMb: peakArrayBuffers / MB,
    joinSeconds: joined,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`scale worker: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  },
);
