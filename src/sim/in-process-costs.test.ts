import { describe, expect, it } from "vitest";
import type { Clock } from "../core/clock.js";
import type { NodeLink } from "../core/federation/link.js";
import { measuredCosts } from "../core/federation/measured-costs.js";
import { runFederation } from "../core/federation/round-engine.js";
import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import { InProcessLink, type RoundRunner } from "./in-process-link.js";

/** A clock that only moves when told: the fake nodes below advance it by their durations. */
class ManualClock implements Clock {
  private t = 100;
  now(): number {
    return this.t;
  }
  advance(seconds: number): void {
    this.t += seconds;
  }
}

const SIZE = 2;
/** The slowest node's seconds per local update: c. */
const C = 0.004;
/** Per round, outside the local updates: copying in the order, the end-of-round evaluation. */
const BEFORE = 0.001;
const AFTER = 0.003;
/** Per round, the process's work outside any node call (the engine's own share of b). */
const ENGINE = 0.002;

/**
 * A fake node that spends `factor * C` seconds per local update on the clock, plus BEFORE and
 * AFTER per round outside its reported local time, as LocalTrainer does.
 */
function fakeNode(clock: ManualClock, factor: number): RoundRunner {
  return {
    runRound(order: RoundOrder): RoundReport {
      clock.advance(BEFORE);
      const t0 = clock.now();
      clock.advance(factor * C * order.tau);
      const localSeconds = clock.now() - t0;
      clock.advance(AFTER);
      return {
        round: order.round,
        weights: order.weights.slice(),
        tauDone: order.tau,
        localSeconds,
        dataSize: 10,
        lossAtGlobal: 1 / order.round,
        gradAtGlobal: new Float64Array(SIZE).fill(0.1),
        ...(order.round >= 2 && { beta: 1, rho: 1 }),
      };
    },
  };
}

/** The first link also spends ENGINE seconds outside its node's call, once per round. */
function withEngineWork(link: InProcessLink, clock: ManualClock): NodeLink {
  return {
    id: link.id,
    runRound: (order) => {
      clock.advance(ENGINE);
      return link.runRound(order);
    },
  };
}

/** c and b of every round of a fixed-tau run on `nodes` simulated nodes, measured. */
async function measuredRounds(tau: number, nodes: number): Promise<{ c: number; b: number }[]> {
  const clock = new ManualClock();
  // Node 1 is the slowest; the others take 0.5 .. 0.9 of its time per update.
  const links: NodeLink[] = Array.from({ length: nodes }, (_, i) => {
    const link = new InProcessLink(`n${i + 1}`, fakeNode(clock, 1 - (i % 5) / 10), clock);
    return i === 0 ? withEngineWork(link, clock) : link;
  });
  const result = await runFederation(
    {
      modelSize: SIZE,
      initialWeights: new Float64Array(SIZE),
      eta: 0.1,
      tauMode: tau,
      maxRounds: 4,
    },
    { links, costs: measuredCosts(), clock },
  );
  expect(result.status).toBe("completed");
  return result.events.map((e) => ({ c: e.costs.time?.c ?? Number.NaN, b: e.costs.time?.b ?? 0 }));
}

describe("measured costs of in-process nodes", () => {
  it("b does not depend on tau or on the number of nodes; c * tau is the slowest local time", async () => {
    // As parallel nodes: b = the engine's work + the slowest node's time outside its updates.
    const b = ENGINE + BEFORE + AFTER;
    for (const nodes of [1, 3, 8]) {
      for (const tau of [1, 10, 100]) {
        const rounds = await measuredRounds(tau, nodes);
        expect(rounds.length).toBe(5); // 4 full rounds and the evaluation-only one
        for (const r of rounds) {
          expect(r.c).toBeCloseTo(C, 12);
          expect(r.b).toBeCloseTo(b, 12);
        }
      }
    }
  });
});
