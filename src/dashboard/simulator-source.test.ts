import { afterEach, describe, expect, it } from "vitest";
import { syntheticSplit } from "../aggregator/test-support/synthetic-split.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { simulatedCosts } from "../sim/simulated-costs.js";
import type { DashboardChange } from "./dashboard-source.js";
import { SimulatorSource } from "./simulator-source.js";
import { dashboardSourceCases } from "./test-support/dashboard-source-cases.js";
import { Heard } from "./test-support/heard-changes.js";
import { svmSetup } from "./test-support/svm-setup.js";

dashboardSourceCases("SimulatorSource", ({ setup, data, nodes }) => {
  const source = new SimulatorSource({
    setup,
    data,
    nodes,
    kernels: referenceKernels,
    costs: () => simulatedCosts({ seed: 11 }),
    watchSample: 8,
  });
  return { source, start: () => source.start(), close: () => source.close() };
});

const open: SimulatorSource[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** The round events of one whole run of a fresh source. */
async function oneRun(seed: number): Promise<RoundEvent[]> {
  const source = new SimulatorSource({
    setup: svmSetup({ sgd: 20, eta: 0.1, seed, rounds: 5 }),
    data: syntheticSplit(),
    nodes: 3,
    runs: 1,
    kernels: referenceKernels,
    costs: () => simulatedCosts({ seed }),
    // A clock that stands still: no number depends on this machine's speed.
    clock: { now: () => 0 },
  });
  open.push(source);
  const rounds: RoundEvent[] = [];
  source.subscribe((c: DashboardChange) => {
    if (c.type === "round") rounds.push(c.event);
  });
  source.start();
  await source.done;
  return rounds;
}

describe("SimulatorSource", () => {
  it("plays the same run for the same seed: the round engine's own numbers", async () => {
    const a = await oneRun(4);
    expect(a.map((e) => e.round)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.at(-1)?.kind).toBe("evaluation");
    expect(a[1].lossAtStart).toBeLessThan(a[0].lossAtStart ?? 0);
    // Smooth SVM even/odd learns the synthetic digits.
    expect(a.at(-1)?.testAccuracy).toBeGreaterThan(0.8);
    expect(await oneRun(4)).toEqual(a);
    expect(await oneRun(5)).not.toEqual(a);
  });

  it("pauses the runs after one fails, rather than failing again and again", async () => {
    const source = new SimulatorSource({
      setup: svmSetup({ eta: -1 }),
      data: syntheticSplit(),
      nodes: 2,
      kernels: referenceKernels,
    });
    open.push(source);
    const heard = new Heard(source);
    source.start();
    await heard.until((cs) => cs.some((c) => c.type === "settings" && !c.settings.running));
    expect(source.settings().running).toBe(false);
    const warnings = heard.changes.flatMap((c) =>
      c.type === "log" && c.entry.kind === "note" && c.entry.level === "warn" ? [c.entry.text] : [],
    );
    expect(warnings).toEqual([expect.stringMatching(/^the runs pause: .*eta/)]);
    expect(heard.of("run-start").length).toBeLessThanOrEqual(1);
  });
});
