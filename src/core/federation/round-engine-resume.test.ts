import { describe, expect, it } from "vitest";
import type { Batch } from "../data/batch.js";
import { Rng } from "../data/rng.js";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { SvmModel } from "../models/svm.js";
import { LocalTrainer } from "../train/local-trainer.js";
import type { RoundReport } from "../train/round-report.js";
import type { EngineSnapshot } from "./engine-snapshot.js";
import type { NodeLink } from "./link.js";
import { runFederation } from "./round-engine.js";
import type { RunConfig } from "./run-config.js";
import type { RunResult } from "./run-result.js";
import { fixedCosts, frozenClock } from "./test-support/scripted-link.js";

/**
 * A run stopped after round k and resumed from the engine's snapshot of round k must be the
 * uninterrupted run: same weights bit for bit, same events, same budget spent. Full-batch
 * trainers, a deterministic cost source and a frozen clock make every run repeatable.
 */
const dim = 6;
const model = new SvmModel(dim, { kernels: referenceKernels });
const ETA = 0.05;

function dataset(seed: number, rows: number): Batch {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * dim);
  const y = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    let score = 0.3 * rng.normal();
    for (let k = 0; k < dim; k++) {
      const v = (rng.int(2048) - 1024) / 1024;
      x[j * dim + k] = v;
      score += (k % 2 === 0 ? 1 : -0.5) * (k + 1) * v;
    }
    y[j] = score >= 0 ? 1 : -1;
  }
  return { x, y, rows, dim };
}

const parts = [dataset(1, 40), dataset(2, 55), dataset(3, 30)];

/** Full-batch SVM trainers behind links that record every report. */
function trainers(): { links: NodeLink[]; reports: RoundReport[][] } {
  const reports: RoundReport[][] = parts.map(() => []);
  const links = parts.map((data, i): NodeLink => {
    const trainer = new LocalTrainer({
      model,
      data,
      eta: ETA,
      rng: new Rng(i),
      clock: frozenClock,
    });
    return {
      id: `n${i + 1}`,
      runRound: async (order) => {
        const report = trainer.runRound(order);
        reports[i].push(report);
        return { ok: true, report };
      },
    };
  });
  return { links, reports };
}

const adaptive: RunConfig = {
  modelSize: dim,
  initialWeights: new Float64Array(dim),
  eta: ETA,
  tauMode: "adaptive",
  budget: { time: 6 },
};
const fixed: RunConfig = { ...adaptive, tauMode: 3, budget: undefined, maxRounds: 8 };

const costs = () => fixedCosts(0.01, 0.1);

/** Runs until the snapshot of round `k` has been taken, then stops (as a crash would). */
async function runUntil(
  config: RunConfig,
  links: NodeLink[],
  k: number,
): Promise<{ snapshot: EngineSnapshot; result: RunResult }> {
  const stop = new AbortController();
  let snapshot: EngineSnapshot | undefined;
  const result = await runFederation(config, {
    links,
    costs: costs(),
    clock: frozenClock,
    signal: stop.signal,
    onSnapshot: (s) => {
      if (s.round === k) {
        // What a checkpoint file gives back: a deep copy.
        snapshot = structuredClone(s);
        stop.abort();
      }
    },
  });
  if (snapshot === undefined) throw new Error(`No snapshot of round ${k}`);
  return { snapshot, result };
}

function resumeFrom(
  config: RunConfig,
  links: NodeLink[],
  snapshot: EngineSnapshot,
  events: RunResult["events"],
): Promise<RunResult> {
  return runFederation(config, {
    links,
    costs: costs(),
    clock: frozenClock,
    resume: { snapshot, events: events.slice(0, snapshot.round) },
  });
}

function expectSameRun(resumed: RunResult, whole: RunResult): void {
  expect(resumed.status).toBe("completed");
  expect(Array.from(resumed.finalWeights)).toEqual(Array.from(whole.finalWeights));
  expect(Array.from(resumed.lastWeights)).toEqual(Array.from(whole.lastWeights));
  expect(resumed.events).toEqual(whole.events);
  expect(resumed.spent).toEqual(whole.spent);
  expect(resumed.iterations).toBe(whole.iterations);
  expect(resumed.meanTau).toBe(whole.meanTau);
  expect(resumed.bestLoss).toBe(whole.bestLoss);
  expect(resumed.controller).toEqual(whole.controller);
}

describe("round engine resume", () => {
  it("emits one snapshot per round, after onRound, with the spent budget and the best weights", async () => {
    const order: string[] = [];
    const snapshots: EngineSnapshot[] = [];
    const result = await runFederation(adaptive, {
      links: trainers().links,
      costs: costs(),
      clock: frozenClock,
      onRound: (e) => {
        order.push(`event ${e.round}`);
      },
      onSnapshot: (s) => {
        order.push(`snapshot ${s.round}`);
        snapshots.push(structuredClone(s));
      },
    });
    expect(result.status).toBe("completed");
    expect(snapshots.map((s) => s.round)).toEqual(result.events.map((e) => e.round));
    expect(order.slice(0, 4)).toEqual(["event 1", "snapshot 1", "event 2", "snapshot 2"]);
    const last = snapshots.at(-1)!;
    expect(last.controller.plan).toBeNull();
    expect(last.iterations).toBe(result.iterations);
    expect(last.controller.ledger.accounts.find((a) => a.name === "time")?.spent).toBe(
      result.spent.time,
    );
    expect(last.controller.minLoss.bestWeights).toEqual(Array.from(result.finalWeights));
  });

  it.each([1, 4, 7])(
    "adaptive tau: stopped after round %i and resumed equals the whole run",
    async (k) => {
      const whole = await runFederation(adaptive, {
        links: trainers().links,
        costs: costs(),
        clock: frozenClock,
      });
      expect(whole.rounds).toBeGreaterThan(8);
      // The estimates steer the run: tau changes, so a wrong estimate after resuming would show.
      expect(new Set(whole.events.map((e) => e.tau)).size).toBeGreaterThan(2);
      const nodes = trainers();
      const first = await runUntil(adaptive, nodes.links, k);
      expect(first.result.status).toBe("cancelled");
      const resumed = await resumeFrom(adaptive, nodes.links, first.snapshot, first.result.events);
      expectSameRun(resumed, whole);
    },
  );

  it("a round the nodes ran before the crash but the snapshot missed is run again to the same result", async () => {
    const whole = await runFederation(adaptive, {
      links: trainers().links,
      costs: costs(),
      clock: frozenClock,
    });
    const nodes = trainers();
    // The nodes ran round 5 (the aggregator died before saving it): resume from round 4.
    const first = await runUntil(adaptive, nodes.links, 5);
    const four = await runUntil(adaptive, trainers().links, 4);
    const resumed = await resumeFrom(adaptive, nodes.links, four.snapshot, first.result.events);
    expectSameRun(resumed, whole);
    // Round 5 was asked twice, and answered the same way both times.
    const fives = nodes.reports[0].filter((r) => r.round === 5);
    expect(fives).toHaveLength(2);
    expect(fives[1]).toEqual(fives[0]);
  });

  it("nodes that restarted (no previous end point) send no beta for one round; fixed tau gives the same weights", async () => {
    const whole = await runFederation(fixed, {
      links: trainers().links,
      costs: costs(),
      clock: frozenClock,
    });
    const first = await runUntil(fixed, trainers().links, 3);
    const fresh = trainers();
    const resumed = await resumeFrom(fixed, fresh.links, first.snapshot, first.result.events);
    expect(resumed.status).toBe("completed");
    expect(Array.from(resumed.finalWeights)).toEqual(Array.from(whole.finalWeights));
    expect(resumed.rounds).toBe(whole.rounds);
    expect(resumed.spent).toEqual(whole.spent);
    const byRound = fresh.reports[0];
    expect(byRound.map((r) => r.round)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(byRound[0].beta).toBeUndefined();
    expect(byRound[1].beta).toBeDefined();
    // The estimate of round 4 is kept from round 3 (a missing beta_i changes nothing).
    expect(resumed.events[3].beta).toBe(resumed.events[2].beta);
  });

  it("resuming after the last round asks no node and completes with the same result", async () => {
    const snapshots: EngineSnapshot[] = [];
    const whole = await runFederation(fixed, {
      links: trainers().links,
      costs: costs(),
      clock: frozenClock,
      onSnapshot: (s) => {
        snapshots.push(structuredClone(s));
      },
    });
    const nodes = trainers();
    const resumed = await resumeFrom(fixed, nodes.links, snapshots.at(-1)!, whole.events);
    expectSameRun(resumed, whole);
    expect(nodes.reports.flat()).toEqual([]);
  });

  it("refuses a snapshot of another model size or with a gap in the earlier events", async () => {
    const { snapshot, result } = await runUntil(fixed, trainers().links, 3);
    const other = await runFederation(
      { ...fixed, modelSize: dim + 1, initialWeights: new Float64Array(dim + 1) },
      { links: trainers().links, costs: costs(), resume: { snapshot } },
    );
    expect(other.status).toBe("failed");
    expect(other.error?.code).toBe("invalid-config");
    expect(other.error?.message).toContain(`the snapshot has ${dim} weights, the model ${dim + 1}`);

    const gap = await runFederation(fixed, {
      links: trainers().links,
      costs: costs(),
      resume: { snapshot, events: [result.events[0], result.events[2]] },
    });
    expect(gap.error?.message).toContain("rounds 1..3 once each, got [1,3]");
  });

  it("fails the run with checkpoint-failed when the snapshot cannot be saved", async () => {
    const result = await runFederation(fixed, {
      links: trainers().links,
      costs: costs(),
      onSnapshot: (s) => {
        if (s.round === 2) throw new Error("disk full");
      },
    });
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({
      code: "checkpoint-failed",
      message: "Round 2: saving the checkpoint failed: disk full",
    });
    expect(result.rounds).toBe(2);
  });
});
