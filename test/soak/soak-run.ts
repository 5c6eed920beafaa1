import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Aggregator } from "../../src/aggregator/aggregator.js";
import { Rng } from "../../src/core/data/rng.js";
import { referenceKernels } from "../../src/core/linalg/reference-kernels.js";
import { tinyDigits } from "../../src/node/test-support/tiny-digits.js";
import { forceGc } from "../../src/test-support/force-gc.js";
import type { FromNodes, ToNodes } from "./soak-nodes.js";

/**
 * The soak: one long run of short rounds (tau 1, a 16-weight SVM on tiny data) on an aggregator
 * in this process, with five nodes in a child process that drop and rejoin at random (seeded:
 * after each round, a node drops with probability `dropRate` and comes back 10-200 ms later),
 * measuring this process's heap after a full garbage collection at the checkpoint round and
 * after the last round.
 */
export interface SoakOptions {
  readonly rounds: number;
  /** The round whose heap is the reference. */
  readonly checkpoint: number;
  readonly nodes?: number;
  readonly seed?: number;
  /** Chance, after each round, that one more node drops (at most two down at once). */
  readonly dropRate?: number;
  /** Also write rounds.jsonl, summary.json, weights.json (default true). */
  readonly files?: boolean;
  /** Heap samples every this many rounds too (default: rounds / 10). */
  readonly sampleEvery?: number;
  readonly onProgress?: (msg: string) => void;
}

export interface SoakResult {
  readonly rounds: number;
  readonly status: string;
  readonly drops: number;
  readonly rejoins: number;
  /** Rounds in which at least one node was left out. */
  readonly roundsWithFailures: number;
  /** V8 heap in use after a full GC, MiB: at the checkpoint round and after the last round. */
  readonly heapAtCheckpointMb: number;
  readonly heapAtEndMb: number;
  /** heapAtEnd / heapAtCheckpoint. */
  readonly ratio: number;
  /** ArrayBuffers after a full GC at the same two points, MiB. */
  readonly arrayBuffersAtCheckpointMb: number;
  readonly arrayBuffersAtEndMb: number;
  readonly samples: readonly { readonly round: number; readonly heapMb: number }[];
  /** Least-squares slope of the heap samples from the checkpoint on, bytes per round. */
  readonly slopeBytesPerRound: number;
  readonly seconds: number;
}

/** Least-squares slope of heap (MiB) over rounds, in bytes per round. */
export function heapSlope(samples: readonly { round: number; heapMb: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((a, s) => a + s.round, 0) / n;
  const my = samples.reduce((a, s) => a + s.heapMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.round - mx) * (s.heapMb - my);
    den += (s.round - mx) ** 2;
  }
  return (num / den) * MB;
}

const MB = 1024 * 1024;
const NODE_SCRIPT = fileURLToPath(new URL("./soak-nodes.ts", import.meta.url));

function heapAfterGc(): { heap: number; arrayBuffers: number } {
  forceGc();
  forceGc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / MB, arrayBuffers: m.arrayBuffers / MB };
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const names = Array.from({ length: o.nodes ?? 5 }, (_, i) => `soak-${i + 1}`);
  const rng = new Rng(o.seed ?? 1);
  const dropRate = o.dropRate ?? 0.02;
  const every = o.sampleEvery ?? Math.max(1, Math.floor(o.rounds / 10));
  const progress = o.onProgress ?? (() => {});
  const out = o.files === false ? undefined : mkdtempSync(join(tmpdir(), "fedtau-soak-"));
  const split = tinyDigits(300);
  const t0 = performance.now();

  const child: ChildProcess = fork(NODE_SCRIPT, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const tell = (m: ToNodes) => {
    if (child.connected) child.send(m);
  };
  const down = new Set<string>();
  let drops = 0;
  let rejoins = 0;
  let stopped: () => void = () => {};
  const childStopped = new Promise<void>((resolve) => {
    stopped = resolve;
    child.on("exit", () => resolve());
  });
  child.on("message", (m: FromNodes) => {
    if (m.type === "rejoined") {
      down.delete(m.name);
      rejoins++;
    } else if (m.type === "stopped") stopped();
  });

  let checkpoint = { heap: 0, arrayBuffers: 0 };
  let end = { heap: 0, arrayBuffers: 0 };
  let roundsWithFailures = 0;
  const samples: { round: number; heapMb: number }[] = [];
  let aggregator: Aggregator | undefined;
  try {
    aggregator = await Aggregator.start({
      nodes: names.length,
      runs: 1,
      data: split,
      kernels: referenceKernels,
      ...(out === undefined ? {} : { out }),
      log: () => {},
      setup: {
        model: { kind: "svm" },
        dataset: "csv:soak.csv",
        task: "even-odd",
        case: 1,
        tau: 1,
        sgd: 10,
        eta: 0.05,
        phi: 0.025,
        seed: o.seed ?? 1,
        rounds: o.rounds,
      },
      onEvent: (e) => {
        if (e.type !== "round") return;
        const event = e.event;
        const round = event.round;
        if (event.failed.length > 0) roundsWithFailures++;
        if (round === o.checkpoint) checkpoint = heapAfterGc();
        if (round === o.rounds) end = heapAfterGc();
        if (round % every === 0) {
          const heapMb =
            round === o.checkpoint
              ? checkpoint.heap
              : round === o.rounds
                ? end.heap
                : heapAfterGc().heap;
          samples.push({ round, heapMb });
          progress(
            `soak: round ${round}/${o.rounds}, heap ${heapMb.toFixed(2)} MiB, ${drops} drops`,
          );
        }
        // Seeded drops: never more than two nodes down at once, none in the last rounds.
        if (round < o.rounds - 5 && down.size < 2 && rng.next() < dropRate) {
          const up = names.filter((n) => !down.has(n));
          const name = up[rng.int(up.length)];
          down.add(name);
          drops++;
          tell({ type: "drop", name, ms: 10 + rng.int(190) });
        }
      },
    });
    tell({ type: "start", url: aggregator.url, names });
    const [summary] = await aggregator.done;
    return {
      rounds: summary?.rounds ?? 0,
      status: summary?.status ?? "none",
      drops,
      rejoins,
      roundsWithFailures,
      heapAtCheckpointMb: checkpoint.heap,
      heapAtEndMb: end.heap,
      ratio: end.heap / checkpoint.heap,
      arrayBuffersAtCheckpointMb: checkpoint.arrayBuffers,
      arrayBuffersAtEndMb: end.arrayBuffers,
      samples,
      slopeBytesPerRound: heapSlope(samples.filter((s) => s.round >= o.checkpoint)),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await aggregator?.close();
    tell({ type: "stop" });
    await Promise.race([childStopped, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill();
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  }
}
