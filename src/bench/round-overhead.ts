import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Aggregator } from "../aggregator/aggregator.js";
import { loadDataset } from "../datasets/load-dataset.js";
import { roundResultWireBytes, roundStartWireBytes } from "../transport/index.js";
import { tcpPingMs } from "./tcp-ping.js";
import { median } from "./time-runs.js";

export const DEFAULT_OVERHEAD_NODES = 5;
export const DEFAULT_OVERHEAD_ROUNDS = 200;
/** Rounds run first and not counted (JIT warm-up, first allocations). */
export const OVERHEAD_WARMUP_ROUNDS = 20;

export interface RoundOverheadOptions {
  readonly nodes?: number;
  /** Timed rounds (the median is reported). */
  readonly rounds?: number;
  /** The installed command that starts the nodes (default: this package's bin/fedtau.js). */
  readonly bin?: string;
  readonly onProgress?: (msg: string) => void;
}

export interface RoundOverheadResult {
  readonly nodes: number;
  readonly rounds: number;
  readonly modelSize: number;
  /** Median b of the timed rounds: round wall time minus the slowest node's local time, ms. */
  readonly overheadMs: number;
  /** Median raw-TCP round trip of the same bytes to as many peer processes, ms. */
  readonly pingMs: number;
  /**
   * The same ping with each peer busy for the median local time before it answers, minus that
   * time: what b would be on this machine if the protocol cost nothing beyond raw TCP (with five
   * processes on few cores, their CPU time alone makes part of b).
   */
  readonly pingWorkMs: number;
  /** Median round wall time and slowest local time, ms. */
  readonly wallMs: number;
  readonly localMs: number;
  /** Bytes on the wire of one RoundStart (to each node) and one RoundResult (from each). */
  readonly roundStartBytes: number;
  readonly roundResultBytes: number;
}

/**
 * The cost of one aggregation on this machine: an aggregator in this process and `nodes`
 * `fedtau node` processes on 127.0.0.1, the 784-weight smooth SVM on the embedded MNIST (case 1),
 * tau 1, so a round is almost only communication. b is measured exactly as the controller
 * measures it. Next to it, the same bytes ping-ponged over raw TCP sockets (no-delay) to as many
 * processes: what the network stack alone costs.
 */
export async function runRoundOverheadBench(
  o: RoundOverheadOptions = {},
): Promise<RoundOverheadResult> {
  const nodes = o.nodes ?? DEFAULT_OVERHEAD_NODES;
  const rounds = o.rounds ?? DEFAULT_OVERHEAD_ROUNDS;
  const progress = o.onProgress ?? (() => {});
  const bin = o.bin ?? fileURLToPath(new URL("../../bin/fedtau.js", import.meta.url));

  const data = await loadDataset("mnist");
  const b: number[] = [];
  const wall: number[] = [];
  const local: number[] = [];
  const aggregator = await Aggregator.start({
    nodes,
    runs: 1,
    data,
    setup: {
      model: { kind: "svm" },
      dataset: "mnist",
      task: "even-odd",
      case: 1,
      tau: 1,
      eta: 0.01,
      phi: 0.025,
      seed: 1,
      rounds: OVERHEAD_WARMUP_ROUNDS + rounds,
    },
    onEvent: (event) => {
      if (event.type !== "round") return;
      const e = event.event;
      if (e.round <= OVERHEAD_WARMUP_ROUNDS || e.kind === "evaluation") return;
      const time = e.costs.time;
      if (time?.b === null || time?.b === undefined || time.c === null) return;
      b.push(time.b * 1000);
      wall.push(e.wallSeconds * 1000);
      local.push((e.wallSeconds - time.b) * 1000);
    },
  });
  progress(
    `round overhead: ${nodes} node processes, ${rounds} rounds of tau 1 on ${aggregator.url}`,
  );
  const children: ChildProcess[] = [];
  try {
    for (let i = 1; i <= nodes; i++) {
      children.push(
        spawn(
          process.execPath,
          [bin, "node", "--aggregator", aggregator.url, "--name", `bench-${i}`, "--quiet"],
          { stdio: ["ignore", "ignore", "inherit"] },
        ),
      );
    }
    const [summary] = await aggregator.done;
    if (summary === undefined || summary.status !== "completed") {
      throw new Error(`The round-overhead run did not complete: ${summary?.error ?? "no run"}`);
    }
  } finally {
    await aggregator.close();
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) c.kill();
  }
  if (b.length === 0) throw new Error("The round-overhead run timed no round");

  const { start, result } = frameSizes(data.train.dim);
  progress(`round overhead: raw TCP ping of ${start} + ${result} bytes to ${nodes} processes`);
  const ping = { peers: nodes, requestBytes: start, replyBytes: result, pings: rounds };
  const pingMs = await tcpPingMs(ping);
  const localMs = median(local);
  const pingWorkMs = (await tcpPingMs({ ...ping, workMs: localMs })) - localMs;
  return {
    nodes,
    rounds: b.length,
    modelSize: data.train.dim,
    overheadMs: median(b),
    pingMs,
    pingWorkMs,
    wallMs: median(wall),
    localMs,
    roundStartBytes: start,
    roundResultBytes: result,
  };
}

/** Wire sizes of a RoundStart (server frame) and a RoundResult (masked client frame). */
function frameSizes(size: number): { start: number; result: number } {
  const v = new Float64Array(size).fill(0.5);
  const runId = "r0000000000-1";
  const order = { round: 100, weights: v, tau: 1, lastRound: false, prevGlobalWasBest: false };
  const report = {
    round: 100,
    weights: v,
    tauDone: 1,
    localSeconds: 0.0003,
    dataSize: 1600,
    lossAtGlobal: 0.3,
    gradAtGlobal: v,
    // No beta or rho: a node of a fixed-tau run does not compute them.
    lossAtBest: 0.3,
  };
  return {
    start: roundStartWireBytes(runId, order, 2000, 300),
    result: roundResultWireBytes(runId, report, 300),
  };
}

/** The result as lines for a terminal. */
export function formatRoundOverhead(r: RoundOverheadResult): string {
  return [
    `Round overhead (b), ${r.nodes} node processes on 127.0.0.1, ${r.modelSize}-weight SVM, tau 1, median of ${r.rounds} rounds`,
    `  b (round wall time minus slowest local time)  ${r.overheadMs.toFixed(3)} ms`,
    `  raw TCP ping of the same bytes                ${r.pingMs.toFixed(3)} ms`,
    `  the same, peers busy for the local time first ${r.pingWorkMs.toFixed(3)} ms (beyond the local time)`,
    `  round wall time / slowest local time          ${r.wallMs.toFixed(3)} / ${r.localMs.toFixed(3)} ms`,
    `  per node: RoundStart ${r.roundStartBytes} B out, RoundResult ${r.roundResultBytes} B back`,
  ].join("\n");
}
