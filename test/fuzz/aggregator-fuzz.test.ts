import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Aggregator } from "../../src/aggregator/aggregator.js";
import type { LearningSetup } from "../../src/aggregator/learning-setup.js";
import { syntheticSplit } from "../../src/aggregator/test-support/synthetic-split.js";
import type { RoundEvent } from "../../src/core/federation/round-event.js";
import { referenceKernels } from "../../src/core/linalg/reference-kernels.js";
import { EdgeNode } from "../../src/node/index.js";
import { ERROR_CODES } from "../../src/protocol/index.js";
import { FrameFuzzer, type FuzzOutcome, runScript } from "./frame-fuzzer.js";

/**
 * A live aggregator under attack: during a seeded fixed-tau run (tau 5, SGD, five real nodes on
 * real sockets, all in this process) many connections send at least 10,000 random and mutated
 * frames. The aggregator must stay up, answer every bad connection with an Error that has a
 * code and close it, and return exactly the weights of the same run without the attack.
 */
const FRAMES = 10_000;
const SEED = 9;
const ROUNDS = 30;
const NODES = ["n1", "n2", "n3", "n4", "n5"];
const MAX_MESSAGE_BYTES = 16 * 1024;
/** Connections open at once. */
const PARALLEL = 8;

const split = syntheticSplit(300, 100, 16, 5);
const setup: LearningSetup = {
  model: { kind: "svm" },
  dataset: "csv:fuzz.csv",
  task: "even-odd",
  case: 1,
  tau: 5,
  sgd: 20,
  eta: 0.05,
  phi: 0.025,
  seed: SEED,
  rounds: ROUNDS,
};

interface RunOutput {
  readonly weights: number[];
  readonly bits: bigint[];
  readonly events: RoundEvent[];
  readonly outcomes: FuzzOutcome[];
  readonly stillUp: boolean;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(fuzz: boolean): Promise<RunOutput> {
  const out = mkdtempSync(join(tmpdir(), "fedtau-fuzz-"));
  dirs.push(out);
  const events: RoundEvent[] = [];
  let finalWeights: Float64Array = new Float64Array(0);
  let startFuzz: (runId: string) => void = () => {};
  const fuzzStarted = new Promise<string>((resolve) => {
    startFuzz = resolve;
  });
  let fuzzDone = false;
  const nodes: EdgeNode[] = [];
  const hold = (ms: number) => {
    for (const n of nodes) n.delayMs = ms;
  };
  const aggregator = await Aggregator.start({
    nodes: NODES.length,
    runs: 1,
    setup,
    data: split,
    kernels: referenceKernels,
    out,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    // No deadline can pass under load: a node left out would change the weights.
    deadlineFloorMs: 600_000,
    roundTimeoutMs: 600_000,
    onRound: (event, { runId }) => {
      events.push(event);
      if (!fuzz) return;
      if (event.round === 1) startFuzz(runId);
      // Slow rounds while the attack goes on; before the last rounds, hold them until it ends.
      if (!fuzzDone) hold(event.round >= ROUNDS - 3 ? 1e9 : 20);
    },
    onRunEnd: (_summary, result) => {
      finalWeights = result.finalWeights;
    },
  });
  for (const name of NODES) {
    nodes.push(
      new EdgeNode({
        aggregator: aggregator.url,
        id: name,
        kernels: referenceKernels,
        loadSplit: async () => split,
        backoff: { initialMs: 20, maxMs: 200 },
      }),
    );
  }
  const exits = nodes.map((n) => n.run());

  const outcomes: FuzzOutcome[] = [];
  let stillUp = true;
  if (fuzz) {
    const runId = await fuzzStarted;
    const fuzzer = new FrameFuzzer(SEED, {
      runId,
      oldRunId: `${runId.replace(/-\d+$/, "")}-0`,
      modelSize: 17,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      takenNames: NODES,
    });
    let frames = 0;
    const worker = async () => {
      while (frames < FRAMES) {
        const script = fuzzer.script();
        frames += script.frames.length;
        outcomes.push(await runScript(aggregator.url, script, 10_000));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    // Still serving: a fresh connection is answered.
    const probe = await runScript(aggregator.url, { kind: "anonymous", frames: ["ping"] }, 5000);
    stillUp = probe.codes[0] === "bad-frame";
    fuzzDone = true;
    hold(0);
  }

  const [summary] = await aggregator.done;
  await Promise.all(exits);
  expect(summary?.status).toBe("completed");
  const file = JSON.parse(readFileSync(join(out, "weights.json"), "utf8"));
  return {
    weights: file.weights,
    bits: Array.from(new BigUint64Array(finalWeights.slice().buffer)),
    events,
    outcomes,
    stillUp,
  };
}

describe("fuzzing a live aggregator", () => {
  it(`stays up under ${FRAMES.toLocaleString("en")}+ bad frames, refuses each bad connection with a code, and returns the clean run's weights`, async () => {
    const clean = await run(false);
    const attacked = await run(true);

    const sent = attacked.outcomes.reduce((s, o) => s + o.sent, 0);
    expect(sent).toBeGreaterThanOrEqual(FRAMES);
    expect(attacked.stillUp).toBe(true);

    // Every connection was closed by the aggregator, after an Error with a code (a frame over
    // what the WebSocket layer takes at all is closed with 1009 before one can be sent).
    const codes = new Map<string, number>();
    const closes = new Map<number | null, number>();
    for (const o of attacked.outcomes) {
      for (const c of o.codes) codes.set(c, (codes.get(c) ?? 0) + 1);
      closes.set(o.closeCode, (closes.get(o.closeCode) ?? 0) + 1);
      expect(o.other).toEqual([]);
      expect(o.closeCode).not.toBeNull();
      if (o.kind === "huge") expect(o.closeCode).toBe(1009);
      else expect(o.codes.length).toBeGreaterThanOrEqual(1);
    }
    for (const c of codes.keys()) expect(ERROR_CODES).toContain(c);
    for (const c of ["bad-frame", "wrong-version", "unknown-node", "unexpected", "too-large"]) {
      expect(codes.get(c) ?? 0).toBeGreaterThan(0);
    }
    console.log(
      `fuzz: ${sent} frames on ${attacked.outcomes.length} connections; Error codes ${JSON.stringify(Object.fromEntries([...codes].sort()))}; close codes ${JSON.stringify(Object.fromEntries(closes))}`,
    );

    // The attack changed nothing of the run.
    expect(attacked.events.length).toBe(ROUNDS + 1);
    for (const e of attacked.events) {
      expect(e.reported).toEqual(NODES);
      expect(e.failed).toEqual([]);
    }
    expect(attacked.weights).toEqual(clean.weights);
    expect(attacked.bits).toEqual(clean.bits);
  }, 120_000);
});
