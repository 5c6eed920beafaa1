import { describe, expect, it } from "vitest";
import { measuredCosts } from "../core/federation/measured-costs.js";
import { runFederation } from "../core/federation/round-engine.js";
import { answer, ScriptedLink } from "../core/federation/test-support/scripted-link.js";
import type { RoundOrder } from "../core/train/round-report.js";
import { DelayedLink, type Sleep } from "./delayed-link.js";

const order = (round: number): RoundOrder => ({
  round,
  weights: new Float64Array(2),
  tau: 1,
  lastRound: false,
  prevGlobalWasBest: false,
});

/**
 * Time that passes only while delays are waited, each wait side by side with the others: the
 * earliest timers fire once everything runnable has run, and the clock jumps to them.
 */
function virtualTime() {
  let t = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  let due = false;
  const fire = () => {
    due = false;
    const at = Math.min(...timers.map((x) => x.at));
    t = at;
    for (const x of timers.filter((y) => y.at === at)) {
      timers.splice(timers.indexOf(x), 1);
      x.resolve();
    }
    if (timers.length > 0) wake();
  };
  const wake = () => {
    if (due) return;
    due = true;
    setImmediate(fire);
  };
  const sleep: Sleep = (ms) =>
    new Promise((resolve) => {
      timers.push({ at: t + ms / 1000, resolve });
      wake();
    });
  return { clock: { now: () => t }, sleep };
}

describe("DelayedLink", () => {
  it("waits the delay before the order reaches the node and before its answer comes back", async () => {
    const seen: string[] = [];
    const inner = new ScriptedLink("n1", 10, (o, link) => {
      seen.push(`node runs round ${o.round}`);
      return answer()(o, link);
    });
    let delay = 30;
    const link = new DelayedLink(
      inner,
      () => delay,
      async (ms) => {
        seen.push(`wait ${ms}`);
        delay = 50; // read again at the next wait
      },
    );
    const outcome = await link.runRound(order(1));
    expect(outcome.ok).toBe(true);
    expect(link.id).toBe("n1");
    expect(seen).toEqual(["wait 30", "node runs round 1", "wait 50"]);
  });

  it("adds twice the delay to a measured round's b", async () => {
    const bOf = async (delayMs: number) => {
      const { clock, sleep } = virtualTime();
      const links = ["n1", "n2"].map(
        (id) => new DelayedLink(new ScriptedLink(id, 10, answer()), () => delayMs, sleep),
      );
      const result = await runFederation(
        { modelSize: 2, initialWeights: new Float64Array(2), eta: 0.1, tauMode: 1, maxRounds: 1 },
        { links, costs: measuredCosts(), clock },
      );
      return result.events[0].costs.time?.b;
    };
    // The two nodes wait side by side: the order's 30 ms, then the answer's.
    expect(await bOf(0)).toBe(0);
    expect(await bOf(30)).toBeCloseTo(2 * 0.03, 12);
  });

  it("passes stop on, and after it a late order no longer reaches the node", async () => {
    const inner = new ScriptedLink("n1", 10, answer());
    const link = new DelayedLink(
      inner,
      () => 0,
      async () => {},
    );
    await link.stop({ stop: { reason: "cancelled" }, finalWeights: new Float64Array(2) });
    expect(inner.stops).toHaveLength(1);
    const outcome = await link.runRound(order(3));
    expect(outcome).toEqual({
      ok: false,
      code: "disconnected",
      message: "Node n1 missed round 3: the run is over",
    });
    expect(inner.orders).toEqual([]);
  });
});
