import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RoundOrder } from "../train/round-report.js";
import type { RoundOutcome } from "./link.js";
import { RoundEngine, runFederation } from "./round-engine.js";
import type { RoundEvent } from "./round-event.js";
import type { RunConfig } from "./run-config.js";
import {
  answer,
  fixedCosts,
  frozenClock,
  report,
  type Script,
  ScriptedLink,
} from "./test-support/scripted-link.js";

const zeros = (n: number) => new Float64Array(n);
const taus = (events: readonly RoundEvent[]) => events.map((e) => e.tau);

function links(n: number, script: Script = answer()): ScriptedLink[] {
  return Array.from({ length: n }, (_, i) => new ScriptedLink(`n${i + 1}`, 1, script));
}

/** The paper's rules (sections 3-4), which these tests work by hand; fedtau's: controller-fedtau.test.ts. */
const fixed = (tau: number, over: Partial<RunConfig> = {}): RunConfig => ({
  modelSize: 2,
  initialWeights: zeros(2),
  eta: 0.01,
  tauMode: tau,
  control: "paper",
  ...over,
});

describe("round engine: the formulas of sections 2-3 (golden files)", () => {
  interface GoldenNode {
    dataSize: number;
    gradAtGlobal: number[];
    beta: number;
    rho: number;
  }
  const estimates: {
    cases: { nodes: GoldenNode[]; beta: number; rho: number; delta: number }[];
  } = JSON.parse(
    readFileSync(new URL("../../../test/fixtures/golden/estimates.json", import.meta.url), "utf8"),
  );

  it.each(estimates.cases.map((c, i) => [i, c] as const))(
    "estimates.json case %i: beta, rho, delta of the round's reports to 1e-9",
    async (_i, c) => {
      const size = c.nodes[0].gradAtGlobal.length;
      const nodeLinks = c.nodes.map(
        (n, i) =>
          new ScriptedLink(`n${i + 1}`, n.dataSize, (order, link) => ({
            ok: true,
            report: {
              ...report(order, link),
              gradAtGlobal: Float64Array.from(n.gradAtGlobal),
              ...(order.round >= 2 && { beta: n.beta, rho: n.rho }),
            },
          })),
      );
      const result = await runFederation(
        { modelSize: size, initialWeights: zeros(size), eta: 0.01, tauMode: 1, maxRounds: 2 },
        { links: nodeLinks, costs: fixedCosts(0.01, 0.1), clock: frozenClock },
      );
      const e = result.events[1];
      for (const k of ["beta", "rho", "delta"] as const) {
        expect(Math.abs((e[k] as number) - c[k])).toBeLessThanOrEqual(
          1e-9 * Math.max(Math.abs(c[k]), 1e-12),
        );
      }
      // Round 1 has no beta_i yet, but delta needs only the gradients.
      expect(result.events[0].beta).toBeNull();
      expect(result.events[0].delta).not.toBeNull();
    },
  );

  it("runs rounds 1 and 2 at tau 1, then tau* of tau_search.json (10, then 30)", async () => {
    // beta 1, rho 1, delta 0.5 (gradients +-0.5 around g = 0), c 0.01, b 0.1, R 15, min-loss.
    const a = new ScriptedLink("a", 1, answer({ gradient: 0.5 }));
    const b = new ScriptedLink("b", 1, answer({ gradient: -0.5 }));
    const result = await runFederation(
      {
        modelSize: 1,
        initialWeights: zeros(1),
        eta: 0.01,
        tauMode: "adaptive",
        control: "paper",
        budget: { time: 15 },
        maxRounds: 4,
      },
      { links: [a, b], costs: fixedCosts(0.01, 0.1), clock: frozenClock },
    );
    expect(taus(result.events).slice(0, 4)).toEqual([1, 1, 10, 30]);
    expect(result.events[1]).toMatchObject({ beta: 1, rho: 1, delta: 0.5, tauReason: "search" });
    expect(a.orders.map((o) => o.tau)).toEqual(taus(result.events));
  });

  it("lets tau grow at most tenfold per round, up to tauMax", async () => {
    const result = await runFederation(
      {
        modelSize: 1,
        initialWeights: zeros(1),
        eta: 0.01,
        tauMode: "adaptive",
        control: "paper",
        budget: { time: 1000 },
        maxRounds: 6,
      },
      // delta = 0: every node has the same gradient, the bound falls with tau.
      { links: links(2), costs: fixedCosts(0.01, 0.1), clock: frozenClock },
    );
    const t = taus(result.events);
    expect(t.slice(0, 6)).toEqual([1, 1, 10, 100, 100, 100]);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThanOrEqual(10 * t[i - 1]);
  });
});

describe("round engine: budget and stopping (section 4)", () => {
  it("shortens the last full round, adds one evaluation round of tau 1, stops (hand-worked)", async () => {
    // A round of tau 4 costs 0.25 * 4 + 0.5 = 1.5. After round 10, s = 15 and
    // 15 + 0.25 * 5 + 2 * 0.5 >= 16: tau = floor((16 - 15 - 1 - 0.25) / 0.25) -> 1.
    const nodeLinks = links(2);
    const result = await runFederation(fixed(4, { budget: { time: 16 } }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(result.status).toBe("completed");
    expect(result.stop).toEqual({ reason: "budget-spent", fullRounds: 11 });
    expect(nodeLinks[0].stops.map((s) => s.stop)).toEqual([result.stop]);
    expect(taus(result.events)).toEqual([...Array(10).fill(4), 1, 1]);
    expect(result.events.map((e) => e.kind).slice(-3)).toEqual(["full", "last-full", "evaluation"]);
    expect(result.events.at(-1)).toMatchObject({ evaluationOnly: true, lastRound: true });
    expect(nodeLinks[0].orders.map((o) => o.lastRound)).toEqual([...Array(11).fill(false), true]);
    expect(result.spent).toEqual({ time: 16.5 });
    expect(result.events.at(-1)?.budget).toEqual({ time: 16 });
    expect(result.rounds).toBe(12);
    expect(result.iterations).toBe(42);
    expect(result.meanTau).toBe((10 * 16 + 1 + 1) / 42);
  });

  it("without the min-loss rule ends with the last full round", async () => {
    // Budget 17, tau 8: rounds cost 2.5; after round 6, s = 15: 15 + 0.25 * 8 + 0.5 >= 17 ->
    // floor((17 - 15 - 0.5) / 0.25) = 6.
    const result = await runFederation(fixed(8, { budget: { time: 17 }, useMinLoss: false }), {
      links: links(1),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(taus(result.events)).toEqual([8, 8, 8, 8, 8, 8, 6]);
    expect(result.stop).toEqual({ reason: "budget-spent", fullRounds: 7 });
    expect(result.events.at(-1)).toMatchObject({ kind: "last-full", lastRound: true });
    expect(result.finalWeights).toEqual(result.lastWeights);
  });

  it("applies the rule with the tighter of two resources (bytes binding)", async () => {
    // 2 links x 100 bytes = 200 per aggregation, none per local update. After round 3,
    // s = 600 and 600 + 0 + 2 * 200 >= 1000: a last full round of tau 1, then evaluation.
    const script: Script = (order, link) => ({ ok: true, report: report(order, link), bytes: 100 });
    const costs = fixedCosts(0.25, 0.5);
    const result = await runFederation(fixed(4, { budget: { time: 100, bytes: 1000 } }), {
      links: links(2, script),
      costs,
      clock: frozenClock,
    });
    expect(taus(result.events)).toEqual([4, 4, 4, 1, 1]);
    expect(result.spent).toEqual({ time: 0.25 * 14 + 0.5 * 5, bytes: 1000 });
    expect(result.events[0].costs).toEqual({ time: { c: 0.25, b: 0.5 }, bytes: { c: 0, b: 200 } });
    expect(costs.inputs[0].bytes).toBe(200);
  });

  it("applies the rule with the tighter of two resources (time binding)", async () => {
    const script: Script = (order, link) => ({ ok: true, report: report(order, link), bytes: 100 });
    const result = await runFederation(fixed(4, { budget: { time: 16, bytes: 1e6 } }), {
      links: links(2, script),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(taus(result.events)).toEqual([...Array(10).fill(4), 1, 1]);
  });

  it("runs maxRounds full rounds, then the evaluation round", async () => {
    const result = await runFederation(fixed(2, { maxRounds: 5 }), {
      links: links(2),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(taus(result.events)).toEqual([2, 2, 2, 2, 2, 1]);
    expect(result.stop).toEqual({ reason: "round-limit", fullRounds: 5 });
    // 5 full rounds of 2 updates of +0.5; the evaluation round's update is not kept.
    expect(Array.from(result.lastWeights)).toEqual([5, 5]);
    const plain = await runFederation(fixed(2, { maxRounds: 5, useMinLoss: false }), {
      links: links(2),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(plain.rounds).toBe(5);
    expect(plain.stop).toEqual({ reason: "round-limit", fullRounds: 5 });
    expect(plain.events.at(-1)?.lastRound).toBe(true);
    // The budget ends a run with a round limit too, when it is spent first.
    const spent = await runFederation(fixed(2, { maxRounds: 50, budget: { time: 10 } }), {
      links: links(2),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(spent.stop).toMatchObject({ reason: "budget-spent" });
  });

  it("holds a fixed tau in every full round", async () => {
    const result = await runFederation(fixed(7, { budget: { time: 40 } }), {
      links: links(3),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    const full = result.events.filter((e) => e.kind === "full");
    expect(full.length).toBeGreaterThan(5);
    expect(full.every((e) => e.tau === 7 && e.tauReason === "fixed")).toBe(true);
    expect(result.events.at(-2)?.kind).toBe("last-full");
    expect(result.events.at(-2)?.tau).toBeLessThanOrEqual(7);
  });
});

describe("round engine: aggregation and faults", () => {
  it("averages by data size and renormalises when a node reporting NaN is left out", async () => {
    const steps = [1, 2, 3];
    const nodeLinks = steps.map(
      (step, i) =>
        new ScriptedLink(`n${i + 1}`, step, (order, link) => {
          const r = report(order, link, { step });
          if (link.id === "n3" && order.round === 2) {
            const weights = r.weights.slice();
            weights[0] = Number.NaN;
            return { ok: true, report: { ...r, weights } };
          }
          return { ok: true, report: r };
        }),
    );
    const result = await runFederation(fixed(1, { maxRounds: 3 }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    // Round 1: (1 * 1 + 2 * 2 + 3 * 3) / 6. Round 2 without n3: (1 * 1 + 2 * 2) / 3.
    const w3 = nodeLinks[0].orders[2].weights;
    expect(w3[0]).toBeCloseTo(14 / 6 + 5 / 3, 14);
    expect(result.events[1].reported).toEqual(["n1", "n2"]);
    expect(result.events[1].failed).toEqual([
      {
        id: "n3",
        code: "invalid-report",
        message: 'Cannot aggregate update from "n3": weight 0 is NaN',
      },
    ]);
    expect(result.events[1].fault).toBeNull();
    expect(result.status).toBe("completed");
  });

  it("lists malformed reports, failing links and throwing links, and carries on", async () => {
    const nodeLinks = [
      new ScriptedLink("n1", 1, answer()),
      new ScriptedLink("n2", 1, (order, link) => ({
        ok: true,
        report: { ...report(order, link), weights: zeros(1) },
      })),
      new ScriptedLink("n3", 1, () => ({ ok: false, code: "timeout", message: "n3 timed out" })),
      new ScriptedLink("n4", 1, () => {
        throw new Error("socket closed");
      }),
      new ScriptedLink("n5", 1, (order, link) => ({
        ok: true,
        report: { ...report(order, link), tauDone: order.tau + 1 },
      })),
    ];
    const result = await runFederation(fixed(2, { maxRounds: 2 }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(result.status).toBe("completed");
    expect(result.events[0].reported).toEqual(["n1"]);
    expect(result.events[0].failed).toEqual([
      {
        id: "n2",
        code: "invalid-report",
        message: 'Cannot aggregate update from "n2": expected 2 weights, got 1',
      },
      { id: "n3", code: "timeout", message: "n3 timed out" },
      { id: "n4", code: "node-error", message: 'Node "n4" failed: socket closed' },
      {
        id: "n5",
        code: "invalid-report",
        message: 'Cannot aggregate update from "n5": tauDone 3 is outside 1..2',
      },
    ]);
    expect(Array.from(result.lastWeights)).toEqual([2, 2]);
  });

  it("keeps the previous weights after a NaN aggregate, runs tau 1, then the tau it had", async () => {
    const link = new ScriptedLink("n1", 1, (order, l) => {
      const r = report(order, l);
      return order.round === 4
        ? { ok: true, report: { ...r, weights: r.weights.map(() => Number.NaN) } }
        : { ok: true, report: r };
    });
    const result = await runFederation(fixed(3, { maxRounds: 7 }), {
      links: [link],
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(taus(result.events)).toEqual([3, 3, 3, 3, 1, 3, 3, 1]);
    expect(link.orders[4].weights).toEqual(link.orders[3].weights);
    expect(result.events[3].fault).toEqual({
      code: "aggregate-not-finite",
      message:
        "Round 4: every report had non-finite numbers; kept the previous global weights; the next round runs tau = 1",
    });
    expect(result.events[3].tauReason).toBe("nan-fallback");
    expect(result.events[4].tauReason).toBe("resume");
    expect(result.status).toBe("completed");
  });

  it("falls back when the average overflows, though every report is finite", async () => {
    const big: Script = (order, link) => {
      const r = report(order, link);
      return order.round === 1
        ? { ok: true, report: { ...r, weights: new Float64Array(2).fill(1e308) } }
        : { ok: true, report: r };
    };
    const nodeLinks = links(2, big);
    const result = await runFederation(fixed(5, { maxRounds: 3 }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(result.events[0].fault?.message).toBe(
      "Round 1: the aggregated weights are not finite; kept the previous global weights; the next round runs tau = 1",
    );
    expect(result.events[0].reported).toEqual(["n1", "n2"]);
    expect(taus(result.events)).toEqual([5, 1, 5, 1]);
    expect(Array.from(nodeLinks[0].orders[1].weights)).toEqual([0, 0]);
    // Round 2 starts again from the initial weights; then 1 + 5 updates of +0.5.
    expect(Array.from(result.lastWeights)).toEqual([3, 3]);
  });

  it("keeps the weights through a round without reports, and stops after several", async () => {
    let down = false;
    const script: Script = (order, link) =>
      down || order.round === 2
        ? { ok: false, code: "disconnected", message: `${link.id} is gone` }
        : { ok: true, report: report(order, link) };
    const nodeLinks = links(2, script);
    const result = await runFederation(fixed(1, { budget: { time: 1000 } }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
      onRound: (e) => {
        if (e.round === 4) down = true;
      },
    });
    expect(result.events[1].fault).toEqual({
      code: "no-reports",
      message: "Round 2: no node reported; kept the global weights",
    });
    expect(nodeLinks[0].orders[2].weights).toEqual(nodeLinks[0].orders[1].weights);
    expect(result.status).toBe("failed");
    expect(result.stop).toEqual({ reason: "failed", error: result.error });
    expect(result.error).toEqual({
      code: "no-reports",
      message: "No usable report in 3 rounds in a row (rounds 5-7): stopping the run",
    });
    expect(result.rounds).toBe(7);
    expect(nodeLinks[0].stops.map((s) => s.stop.reason)).toEqual(["failed"]);
  });

  it("fails clearly when the cost source misses a budgeted resource", async () => {
    const result = await runFederation(fixed(1, { budget: { time: 10, bytes: 10 } }), {
      links: links(1),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({
      code: "cost-failed",
      message: 'Round 1: The cost source gave no "bytes" cost, yet the run has a "bytes" budget',
    });
  });

  it("refuses a bad config before any round", async () => {
    const nodeLinks = links(1);
    const result = await runFederation(
      { modelSize: 2, initialWeights: zeros(3), eta: 0, tauMode: "adaptive", maxRounds: 3 },
      { links: nodeLinks, costs: fixedCosts(0.25, 0.5) },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("invalid-config");
    expect(result.error?.message).toBe(
      'Invalid run config: expected 2 initial weights, got 3; eta must be a finite number > 0, got 0; adaptive tau needs a "time" budget: the tau search weighs updates against it',
    );
    expect(nodeLinks[0].orders).toHaveLength(0);
    const twins = await runFederation(fixed(1, { maxRounds: 1 }), {
      links: [new ScriptedLink("a", 1, answer()), new ScriptedLink("a", 1, answer())],
      costs: fixedCosts(0.25, 0.5),
    });
    expect(twins.error?.message).toBe('Invalid run config: two node links have the id "a"');
  });
});

describe("round engine: min-loss, evaluation and events", () => {
  // Losses of the rounds' starting weights: the best is round 3's start.
  const losses = [5, 4, 3, 3.5, 4, 4.5];
  const lossy = answer({ lossAtGlobal: (o: RoundOrder) => losses[o.round - 1] });

  it("returns the starting weights with the least loss and tells nodes which were best", async () => {
    const nodeLinks = links(2, lossy);
    const result = await runFederation(fixed(1, { maxRounds: 5 }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(result.rounds).toBe(6);
    expect(Array.from(result.finalWeights)).toEqual([1, 1]);
    expect(Array.from(result.lastWeights)).toEqual([2.5, 2.5]);
    expect(result.bestLoss).toBe(3);
    expect(result.events.map((e) => e.lossAtStart)).toEqual(losses);
    expect(nodeLinks[0].orders.map((o) => o.prevGlobalWasBest)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(nodeLinks[0].stops).toEqual([
      { stop: { reason: "round-limit", fullRounds: 5 }, finalWeights: result.finalWeights },
    ]);
  });

  it("evaluates the global model after each round, and the returned one in the evaluation round", async () => {
    const seen: number[] = [];
    const events: RoundEvent[] = [];
    const result = await runFederation(fixed(1, { maxRounds: 5 }), {
      links: links(2, lossy),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
      evaluate: async (w) => {
        seen.push(w[0]);
        return { loss: w[0] * 10, accuracy: 0.5 };
      },
      onRound: (e) => {
        events.push(e);
      },
    });
    expect(seen).toEqual([0.5, 1, 1.5, 2, 2.5, 1]);
    expect(events).toEqual(result.events);
    expect(events.map((e) => e.testLoss)).toEqual([5, 10, 15, 20, 25, 10]);
    expect(events[0].testAccuracy).toBe(0.5);
  });

  it("emits one complete event per round", async () => {
    let t = 0;
    const clock = { now: () => (t += 1.5) };
    const result = await runFederation(fixed(2, { budget: { time: 100 }, maxRounds: 2 }), {
      links: [new ScriptedLink("n1", 1, answer()), new ScriptedLink("n2", 3, answer())],
      costs: fixedCosts(0.25, 0.5),
      clock,
    });
    expect(result.events[1]).toEqual({
      round: 2,
      tau: 2,
      kind: "last-full",
      evaluationOnly: false,
      lastRound: false,
      tauDone: { max: 2, mean: 2 },
      lossAtStart: 1,
      bestLoss: 1,
      testLoss: null,
      testAccuracy: null,
      beta: 1,
      rho: 1,
      delta: 0,
      costs: { time: { c: 0.25, b: 0.5 } },
      spent: { time: 2 },
      budget: { time: 100 },
      reported: ["n1", "n2"],
      failed: [],
      fault: null,
      nextTau: 1,
      tauReason: null,
      control: {
        input: {
          round: 2,
          tauDone: 2,
          fallback: false,
          fresh: { beta: 1, rho: 1, delta: 0 },
          cost: { time: { local: 0.5, aggregation: 0.5 } },
          nodes: [
            { id: "n1", localSeconds: expect.any(Number), tauDone: 2 },
            { id: "n2", localSeconds: expect.any(Number), tauDone: 2 },
          ],
          lost: [],
        },
        output: {
          tau: 1,
          kind: "evaluation",
          search: null,
          binding: null,
          change: {
            cause: "budget",
            text: "tau 2 -> 1: budget spent; one evaluation-only round measures the loss of the last weights",
          },
        },
      },
      wallSeconds: 1.5,
    });
  });
});

describe("round engine: cancellation and lifecycle", () => {
  it("stops between rounds when aborted", async () => {
    const abort = new AbortController();
    const nodeLinks = links(2);
    const result = await runFederation(fixed(1, { budget: { time: 1000 } }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
      signal: abort.signal,
      onRound: (e) => {
        if (e.round === 3) abort.abort();
      },
    });
    expect(result.status).toBe("cancelled");
    expect(result.stop).toEqual({ reason: "cancelled" });
    expect(result.error).toBeNull();
    expect(result.rounds).toBe(3);
    expect(nodeLinks[0].stops.map((s) => s.stop.reason)).toEqual(["cancelled"]);
  });

  it("stops mid-round without waiting for the nodes", async () => {
    const abort = new AbortController();
    const hang: Script = (order, link) => {
      if (order.round < 2) return { ok: true, report: report(order, link) };
      queueMicrotask(() => abort.abort());
      return new Promise<RoundOutcome>(() => {});
    };
    const result = await runFederation(fixed(1, { budget: { time: 1000 } }), {
      links: links(2, hang),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
      signal: abort.signal,
    });
    expect(result.status).toBe("cancelled");
    expect(result.rounds).toBe(1);
    expect(Array.from(result.lastWeights)).toEqual([0.5, 0.5]);
  });

  it("runs no round when aborted before the start", async () => {
    const nodeLinks = links(1);
    const result = await runFederation(fixed(1, { maxRounds: 3 }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      signal: AbortSignal.abort(),
    });
    expect(result.status).toBe("cancelled");
    expect(nodeLinks[0].orders).toHaveLength(0);
  });

  it("goes from setup to running to stopped, once", async () => {
    const engine = new RoundEngine(fixed(1, { maxRounds: 1 }), {
      links: links(1),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(engine.phase).toBe("setup");
    const running = engine.run();
    expect(engine.phase).toBe("running");
    await running;
    expect(engine.phase).toBe("stopped");
    await expect(engine.run()).rejects.toThrow("Cannot run a round engine twice");
  });

  it("gives every node its own copy of the global weights", async () => {
    const vandal: Script = (order, link) => {
      const r = report(order, link);
      order.weights.fill(99);
      return { ok: true, report: r };
    };
    const nodeLinks = [new ScriptedLink("n1", 1, vandal), new ScriptedLink("n2", 1, answer())];
    const result = await runFederation(fixed(1, { maxRounds: 2, useMinLoss: false }), {
      links: nodeLinks,
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(Array.from(result.lastWeights)).toEqual([1, 1]);
  });

  it("says its latest costs while it runs: none known before round 1 ends", async () => {
    const seen: ReturnType<RoundEngine["costs"]>[] = [];
    const script: Script = (order, link) => {
      seen.push(engine.costs());
      return { ok: true, report: report(order, link) };
    };
    const engine = new RoundEngine(fixed(2, { maxRounds: 2 }), {
      links: [new ScriptedLink("a", 1, script)],
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(engine.costs()).toEqual({});
    const result = await engine.run();
    expect(seen.map((c) => c.time?.c ?? null)).toEqual([null, 0.25, 0.25]);
    expect(seen[1]).toEqual(result.events[0].costs);
    expect(engine.costs()).toEqual(result.events.at(-1)?.costs);
  });

  it("hands back a controller state that survives JSON", async () => {
    const result = await runFederation(fixed(2, { maxRounds: 2 }), {
      links: links(2),
      costs: fixedCosts(0.25, 0.5),
      clock: frozenClock,
    });
    expect(JSON.parse(JSON.stringify(result.controller))).toEqual(result.controller);
  });
});
