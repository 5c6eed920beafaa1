import { describe, expect, it } from "vitest";
import type { RoundReport } from "../train/round-report.js";
import { Controller, type ControllerConfig, type RoundFacts } from "./controller.js";
import type { RoundCost } from "./round-cost.js";
import { controllerConfig } from "./test-support/controller-config.js";

const config: ControllerConfig = controllerConfig({ control: "fedtau" });

/** Nodes of one sample each, with beta = rho = 1 from round 1 and gradients +-g. */
function reports(round: number, tau: number, ids: readonly string[], g = 0.5): RoundReport[] {
  return ids.map((_, i) => ({
    round,
    weights: Float64Array.of(0, 0),
    tauDone: tau,
    localSeconds: 0.01 * tau,
    dataSize: 1,
    lossAtGlobal: 1,
    gradAtGlobal: Float64Array.of(i % 2 === 0 ? g : -g, 0),
    beta: 1,
    rho: 1,
  }));
}

const timeCost = (tau: number, c = 0.01, b = 0.1): RoundCost => ({
  time: { local: c * tau, aggregation: b },
});

function step(c: Controller, over: Partial<RoundFacts> & { b?: number } = {}) {
  const plan = c.plan!;
  const ids = over.reporters ?? ["n1", "n2"];
  const r = c.afterRound({
    startWeights: Float64Array.of(plan.round, 0),
    reports: reports(plan.round, plan.tau, ids),
    fallback: false,
    cost: timeCost(plan.tau, 0.01, over.b ?? 0.1),
    reporters: ids,
    ...over,
  });
  if (!r.ok) throw new Error(r.message);
  return r.decision;
}

describe("Controller, fedtau control", () => {
  it("searches after round 1 over 1 .. tauMax (no tenfold limit)", () => {
    // golden/tau_search.json: with these estimates and costs, tau* is 30 over 1 .. 100.
    const c = Controller.create(config);
    const d = step(c);
    expect(d.tauChoice?.reason).toBe("search");
    expect(d.output.search?.lastCandidate).toBe(100);
    expect(c.plan!.tau).toBe(30);
    expect(d.output.change.cause).toBe("start");
    const paper = Controller.create({ ...config, control: "paper" });
    step(paper);
    expect(paper.plan!.tau).toBe(1);
  });

  it("plans from a robust b: one outlier does not move tau, a jump re-plans within two rounds", () => {
    const c = Controller.create({ ...config, budget: { time: 200 } });
    for (let i = 0; i < 6; i++) step(c);
    const steady = c.plan!.tau;
    step(c, { b: 1e-10 }); // one near-zero draw
    expect(c.plan!.tau).toBe(steady);
    step(c); // back to normal
    expect(c.plan!.tau).toBe(steady);
    // The aggregation becomes ten times costlier: after two rounds at the new level tau rises.
    step(c, { b: 1 });
    const d = step(c, { b: 1 });
    expect(c.plan!.tau).toBeGreaterThan(steady);
    expect(d.output.change).toMatchObject({ cause: "costs" });
    expect(d.output.change.text).toMatch(/^tau \d+ -> \d+: b \(time\) 0\.1 -> 1$/);
  });

  it("books a round that lost a node in full but takes no sample of b from it, and re-plans", () => {
    const c = Controller.create({ ...config, budget: { time: 200 } });
    // One round before: with so few samples the robust estimate alone would not hide the wait.
    step(c, { reporters: ["n1", "n2", "n3"] });
    const before = c.spent().time;
    // n3 timed out: the round waited 5 s for it.
    const d = step(c, { reporters: ["n1", "n2"], lost: ["n3"], b: 5 });
    expect(c.spent().time - before).toBeCloseTo(5 + 0.01 * d.tauDone, 12);
    expect(d.output.search?.resources[0].b).toBeCloseTo(0.1, 12);
    expect(d.output.change.cause).toBe("nodes");
    expect(d.output.change.text).toContain("nodes changed: n3 left (lost), 2 reporting");
    expect(d.input.lost).toEqual(["n3"]);
  });

  it("never starts a round the budget cannot pay for: it goes to the evaluation round", () => {
    const c = Controller.create({ ...config, tauMode: 4, budget: { time: 16 } });
    const kinds: string[] = [];
    while (c.plan !== null) {
      const p = c.plan;
      kinds.push(`${p.tau}${p.kind === "full" ? "" : p.kind === "last-full" ? "L" : "E"}`);
      step(c, { cost: timeCost(p.tau, 0.25, 0.5) });
    }
    // Each round of 4 costs 1.5; after round 9 (s = 13.5) one more fits (13.5 + 1.5 + 0.75 <= 16)
    // and is the last; the paper would add a tau-1 round after s = 15 and overrun.
    expect(kinds).toEqual([...Array(9).fill("4"), "4L", "1E"]);
    expect(c.spent().time).toBe(15.75);
  });

  it("reproduces every decision from the recorded inputs alone (decide)", () => {
    const a = Controller.create(config);
    const inputs = [];
    const outputs = [];
    while (a.plan !== null) {
      const d = step(a, { b: 0.1 + 0.05 * Math.sin(a.plan.round) });
      inputs.push(JSON.parse(JSON.stringify(d.input)));
      outputs.push(d.output);
    }
    const b = Controller.create(config);
    for (let i = 0; i < inputs.length; i++) {
      const r = b.decide(inputs[i]);
      if (!r.ok) throw new Error(r.message);
      expect(r.decision.output).toEqual(outputs[i]);
    }
    expect(b.plan).toBeNull();
  });

  it("refuses an input of another round than the one planned", () => {
    const c = Controller.create(config);
    const d = step(c);
    expect(c.decide(d.input)).toEqual({
      ok: false,
      message: "Round 1 was recorded, but the controller planned round 2",
    });
  });
});
