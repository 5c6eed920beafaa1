import { describe, expect, it } from "vitest";
import { bindingResource } from "./binding-resource.js";
import { runFederation } from "./round-engine.js";
import type { RunConfig } from "./run-config.js";
import {
  fixedCosts,
  frozenClock,
  report,
  type Script,
  ScriptedLink,
} from "./test-support/scripted-link.js";

/** Two nodes, each round 100 bytes per node; c = 0.25 s, b = 0.5 s. */
async function run(over: Partial<RunConfig>) {
  const script: Script = (order, link) => ({ ok: true, report: report(order, link), bytes: 100 });
  const config: RunConfig = {
    modelSize: 2,
    initialWeights: new Float64Array(2),
    eta: 0.01,
    tauMode: 4,
    // The stopping rule of the paper, worked by hand below.
    control: "paper",
    ...over,
  };
  const result = await runFederation(config, {
    links: [new ScriptedLink("n1", 1, script), new ScriptedLink("n2", 1, script)],
    costs: fixedCosts(0.25, 0.5),
    clock: frozenClock,
  });
  expect(result.status).toBe("completed");
  return result.events;
}

describe("bindingResource", () => {
  it("names bytes when the byte budget ends the run before time", async () => {
    const events = await run({ budget: { time: 100, bytes: 1000 } });
    expect(bindingResource(events)).toBe("bytes");
  });

  it("names time when the time budget ends the run before bytes", async () => {
    const events = await run({ budget: { time: 16, bytes: 1e6 } });
    expect(bindingResource(events)).toBe("time");
    // The last full round got less than the fixed tau: time set it.
    expect(events.find((e) => e.kind === "last-full")?.tau).toBeLessThan(4);
  });

  it("names time when the budget is met exactly by the tau the last full round got", async () => {
    // After round 2 s = 2 * (4 * 0.25 + 0.5) = 3; with min-loss a round of tau fits when
    // 3 + 0.25 (tau + 1) + 2 * 0.5 < R. R = 5.25 is that sum for tau 4: round 3 is the last
    // full one, with the fixed tau 4 whole.
    const events = await run({ budget: { time: 5.25, bytes: 1e6 } });
    expect(events.find((e) => e.kind === "last-full")?.tau).toBe(4);
    expect(bindingResource(events)).toBe("time");
  });

  it("names time when it leaves room for some updates of the last full round, not all", async () => {
    // After round 10 s = 15; 15 + 0.25 (tau + 1) + 1 < 16.6 holds for tau 1, not for 2.
    const events = await run({ budget: { time: 16.6, bytes: 1e6 } });
    expect(events.find((e) => e.kind === "last-full")?.tau).toBe(1);
    expect(bindingResource(events)).toBe("time");
  });

  it("names bytes when time has room for just the tau the last full round got", async () => {
    // tau 1: 0.75 s and 200 bytes a round. After round 3 bytes cannot afford another round
    // (600 + 2 * 200 >= 1000); time can afford tau 1 (2.25 + 0.5 + 1 < 3.9), not tau 2.
    const events = await run({ budget: { time: 3.9, bytes: 1000 }, tauMode: 1 });
    expect(events.find((e) => e.kind === "last-full")?.round).toBe(4);
    expect(bindingResource(events)).toBe("bytes");
  });

  it("names time without the min-loss rule too", async () => {
    const events = await run({ budget: { time: 17 }, tauMode: 8, useMinLoss: false });
    expect(bindingResource(events)).toBe("time");
  });

  it("says rounds when the round limit ends the run", async () => {
    const events = await run({ budget: { time: 100, bytes: 1e6 }, maxRounds: 3 });
    expect(bindingResource(events, 3)).toBe("rounds");
  });

  it("is null before a decision named a resource (a run cut short)", async () => {
    const events = await run({ budget: { time: 100, bytes: 1000 } });
    expect(bindingResource(events.slice(0, 2))).toBeNull();
    expect(bindingResource([])).toBeNull();
  });

  it("reads fedtau's decisions the same way", async () => {
    const events = await run({ budget: { time: 100, bytes: 1000 }, control: "fedtau" });
    expect(bindingResource(events)).toBe("bytes");
    expect(events.at(-1)?.kind).toBe("evaluation");
  });
});
