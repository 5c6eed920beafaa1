import { describe, expect, it } from "vitest";
import { forceGc } from "../../test-support/force-gc.js";
import { Rng } from "../data/rng.js";
import type { RoundOrder } from "../train/round-report.js";
import { EventWindow } from "./event-window.js";
import type { NodeLink, RoundOutcome } from "./link.js";
import { runFederation } from "./round-engine.js";
import type { RoundEvent } from "./round-event.js";
import type { RunConfig } from "./run-config.js";
import { fixedCosts, frozenClock } from "./test-support/scripted-link.js";

/** A report of node i: weights and gradient that differ per node and per round. */
function reportOf(i: number, order: RoundOrder, dataSize: number): RoundOutcome {
  const n = order.weights.length;
  const rng = new Rng(1000 * order.round + i);
  const weights = new Float64Array(n);
  const grad = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    weights[k] = order.weights[k] + rng.normal() * 10 ** (rng.int(7) - 3);
    grad[k] = rng.normal();
  }
  return {
    ok: true,
    report: {
      round: order.round,
      weights,
      tauDone: order.tau,
      localSeconds: 0,
      dataSize,
      lossAtGlobal: 1 / order.round,
      gradAtGlobal: grad,
      ...(order.round >= 2 && { beta: 1 + i, rho: 0.5 }),
    },
  };
}

/**
 * Links whose answers of each round come back in an order given by `arrival(round)` (a
 * permutation of the node indices): each waits for the one before it in that order.
 */
function linksArrivingIn(
  count: number,
  arrival: (round: number) => readonly number[],
  onAnswer?: (i: number, outcome: RoundOutcome, order: RoundOrder) => void,
): NodeLink[] {
  const turns = new Map<number, { order: number[]; done: Promise<void>[] }>();
  const gates = new Map<string, () => void>();
  return Array.from({ length: count }, (_, i) => ({
    id: `n${i + 1}`,
    runRound: async (order: RoundOrder) => {
      let t = turns.get(order.round);
      if (t === undefined) {
        const seq = [...arrival(order.round)];
        t = {
          order: seq,
          done: seq.map((who) => new Promise<void>((r) => gates.set(`${order.round}:${who}`, r))),
        };
        turns.set(order.round, t);
      }
      const place = t.order.indexOf(i);
      if (place > 0) await t.done[place - 1];
      const outcome = reportOf(i, order, 10 + 7 * i);
      onAnswer?.(i, outcome, order);
      // Let the answer be taken before the next node's.
      setTimeout(() => gates.get(`${order.round}:${i}`)!(), 0);
      return outcome;
    },
  }));
}

const config = (size: number, rounds: number): RunConfig => ({
  modelSize: size,
  initialWeights: new Float64Array(size),
  eta: 0.1,
  tauMode: 2,
  maxRounds: rounds,
});

const bits = (w: Float64Array) => Array.from(new BigUint64Array(w.slice().buffer));

describe("streaming aggregation in the round engine", () => {
  it("gives the same weights, bit for bit, and the same events whatever order the reports arrive in", async () => {
    const nodes = 12;
    const run = (arrival: (round: number) => readonly number[]) =>
      runFederation(config(50, 6), {
        links: linksArrivingIn(nodes, arrival),
        costs: fixedCosts(0.01, 0.1),
        clock: frozenClock,
      });
    const inOrder = await run(() => Array.from({ length: nodes }, (_, i) => i));
    const reversed = await run(() => Array.from({ length: nodes }, (_, i) => nodes - 1 - i));
    const shuffled = await run((round) => Array.from(new Rng(round).permutation(nodes)));
    expect(inOrder.status).toBe("completed");
    for (const other of [reversed, shuffled]) {
      expect(bits(other.lastWeights)).toEqual(bits(inOrder.lastWeights));
      expect(bits(other.finalWeights)).toEqual(bits(inOrder.finalWeights));
      expect(other.events).toEqual(inOrder.events);
    }
    expect(inOrder.events[0].reported).toEqual(
      Array.from({ length: nodes }, (_, i) => `n${i + 1}`),
    );
  });

  it("holds no node's weights once they are in the sum: O(1) weight vectors besides the gradients", async () => {
    // 40 nodes of 100,000 weights (800 KB each): the round's weights would be 32 MB if kept.
    const nodes = 40;
    const size = 100_000;
    const weightRefs: WeakRef<Float64Array>[] = [];
    const orderRefs: WeakRef<Float64Array>[] = [];
    const alive: number[] = [];
    const links = linksArrivingIn(
      nodes,
      () => Array.from({ length: nodes }, (_, i) => i),
      (i, outcome, order) => {
        if (order.round !== 2 || !outcome.ok) return;
        if (i === nodes - 1) {
          // Every other node has answered round 2: what of theirs is still held?
          forceGc();
          alive.push(weightRefs.filter((r) => r.deref() !== undefined).length);
          alive.push(orderRefs.filter((r) => r.deref() !== undefined).length);
        }
        weightRefs.push(new WeakRef(outcome.report.weights));
        orderRefs.push(new WeakRef(order.weights));
      },
    );
    const result = await runFederation(config(size, 2), {
      links,
      costs: fixedCosts(0.01, 0.1),
      clock: frozenClock,
    });
    expect(result.status).toBe("completed");
    // 39 reports of round 2 are in: none of their weights, nor the copies of the global weights
    // they were sent, is still in memory.
    expect(alive).toEqual([0, 0]);
  });
});

describe("EventWindow: the events a run result keeps", () => {
  const event = (round: number, reported: string[], failed: string[] = []): RoundEvent =>
    ({
      round,
      reported,
      failed: failed.map((id) => ({ id, code: "timeout", message: "late" })),
    }) as unknown as RoundEvent;

  it("keeps the latest events only, and counts every round per node", () => {
    const w = new EventWindow(3, [event(1, ["a", "b"])]);
    for (let r = 2; r <= 10; r++)
      w.push(event(r, r % 2 === 0 ? ["a"] : ["a", "b"], r % 2 === 0 ? ["b"] : []));
    expect(w.count).toBe(10);
    expect(w.toArray().map((e) => e.round)).toEqual([8, 9, 10]);
    expect(w.nodeRounds()).toEqual({
      a: { reported: 10, failed: 0 },
      b: { reported: 5, failed: 5 },
    });
    const all = new EventWindow(Number.POSITIVE_INFINITY);
    for (let r = 1; r <= 5; r++) all.push(event(r, []));
    expect(all.toArray().map((e) => e.round)).toEqual([1, 2, 3, 4, 5]);
  });

  it("bounds RunResult.events of a long run; onRound still gets every event", async () => {
    let seen = 0;
    const result = await runFederation(config(4, 30), {
      links: linksArrivingIn(3, () => [0, 1, 2]),
      costs: fixedCosts(0.01, 0.1),
      clock: frozenClock,
      keepEvents: 5,
      onRound: () => {
        seen++;
      },
    });
    expect(result.rounds).toBe(31);
    expect(seen).toBe(31);
    expect(result.events.map((e) => e.round)).toEqual([27, 28, 29, 30, 31]);
    expect(result.nodeRounds).toEqual({
      n1: { reported: 31, failed: 0 },
      n2: { reported: 31, failed: 0 },
      n3: { reported: 31, failed: 0 },
    });
  });
});
