import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RoundEvent } from "../core/federation/round-event.js";
import { Aggregator, type AggregatorOptions } from "./aggregator.js";
import { CheckpointError } from "./checkpoint-file.js";
import { loadResumePoint } from "./checkpoint-resume.js";
import type { LearningSetup } from "./learning-setup.js";
import { AggregatorHarness, type Harnessed, onRounds } from "./test-support/aggregator-harness.js";
import { loggedRounds, tempDirs } from "./test-support/run-dirs.js";
import { TEST_SETUP } from "./test-support/test-setup.js";

/**
 * The in-process aggregator stopped after a round and started again from its checkpoint, with
 * nodes that register anew (their trainers restarted): full-batch gradient descent with a fixed
 * tau and a round limit gives the uninterrupted run's model, bit for bit.
 */
const setup: LearningSetup = TEST_SETUP;
const NAMES = ["a", "b", "c"];

const harness = new AggregatorHarness({ setup });
const tempDir = tempDirs("fedtau-aggregator-resume-");
afterEach(() => harness.cleanup());

/** An aggregator with its three nodes; `onRound` sees each round event with the aggregator. */
async function start(
  options: Partial<AggregatorOptions>,
  onRound?: (event: RoundEvent, aggregator: Aggregator) => void,
): Promise<Harnessed> {
  let aggregator: Aggregator | undefined;
  const on = onRound === undefined ? {} : { onEvent: onRounds((e) => onRound(e, aggregator!)) };
  const started = await harness.startWith(NAMES, { ...options, ...on });
  aggregator = started.aggregator;
  return started;
}

describe("Aggregator resumeFrom", () => {
  it("goes on from the checkpoint of the round it stopped after, to the uninterrupted model", async () => {
    const whole = await start({ out: tempDir() });
    await whole.aggregator.done;
    const expected = whole.ends[0].result;
    expect(expected.status).toBe("completed");

    const out = tempDir();
    const first = await start({ out }, (event, aggregator) => {
      if (event.round === 3) void aggregator.close();
    });
    await first.aggregator.done;
    expect(first.ends[0].result.status).toBe("cancelled");
    harness.dropNodes();

    const point = await loadResumePoint(out);
    expect(point.checkpoint.engine.round).toBe(3);
    const spentBefore = point.checkpoint.engine.controller.ledger.accounts[0].spent;
    const second = await start({ out, resumeFrom: point });
    const [summary] = await second.aggregator.done;
    const result = second.ends[0].result;
    expect(summary.status).toBe("completed");
    expect(summary.rounds).toBe(7);
    expect(summary.runId).toBe(point.checkpoint.run.runId);
    expect(Array.from(result.finalWeights)).toEqual(Array.from(expected.finalWeights));
    expect(result.spent.time).toBeGreaterThan(spentBefore);
    const events = loggedRounds(out);
    expect(events.map((e) => e.round)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(summary.nodes.map((n) => [n.name, n.roundsReported])).toEqual(NAMES.map((n) => [n, 7]));
  });

  it("refuses a checkpoint of another setup, naming it", async () => {
    const out = tempDir();
    const first = await start({ out }, (event, aggregator) => {
      if (event.round === 1) void aggregator.close();
    });
    await first.aggregator.done;
    const point = await loadResumePoint(out);
    const other = Aggregator.start({
      nodes: 3,
      runs: 1,
      setup: { ...setup, eta: 0.2 },
      data: harness.split,
      out,
      resumeFrom: point,
    });
    await expect(other).rejects.toBeInstanceOf(CheckpointError);
    await expect(other).rejects.toThrow(
      `The checkpoint ${join(out, "checkpoint.json")} is from another setup (eta: 0.2 here, 0.1 in the checkpoint)`,
    );
  });

  it("a new aggregator in the same directory drops the old checkpoint when its run starts", async () => {
    const out = tempDir();
    const path = join(out, "checkpoint.json");
    const first = await start({ out }, (_event, aggregator) => void aggregator.close());
    await first.aggregator.done;
    expect(existsSync(path)).toBe(true);
    harness.dropNodes();
    const seen: boolean[] = [];
    const second = await start({ out }, () => seen.push(existsSync(path)));
    await second.aggregator.done;
    // Round 1's event comes before round 1's checkpoint: the old one is gone by then.
    expect(seen.slice(0, 2)).toEqual([false, true]);
    await expect(loadResumePoint(out)).rejects.toThrow(/Nothing to resume/);
  });
});
