import { describe, expect, it } from "vitest";
import type { ControlInput } from "../core/control/control-record.js";
import type { RoundCostInput } from "../core/federation/cost-source.js";
import type { RoundReport } from "../core/train/round-report.js";
import { recordedCostSamples, recordedCosts } from "./recorded-costs.js";

function input(
  round: number,
  nodes: [id: string, localSeconds: number, tauDone: number][],
  aggregation: number,
  lost: string[] = [],
): ControlInput {
  let tauDone = 0;
  for (const [, , t] of nodes) tauDone = Math.max(tauDone, t);
  return {
    round,
    tauDone,
    fallback: false,
    fresh: { beta: null, rho: null, delta: null },
    cost: { time: { local: Math.max(0, ...nodes.map((n) => n[1])), aggregation } },
    nodes: nodes.map(([id, localSeconds, t]) => ({ id, localSeconds, tauDone: t })),
    lost,
  };
}

const record: ControlInput[] = [
  input(
    1,
    [
      ["a", 0.01, 1],
      ["b", 0.04, 1],
    ],
    0.2,
  ),
  input(
    2,
    [
      ["a", 0.1, 5],
      ["b", 0.2, 5],
    ],
    0.3,
  ),
  // b lost: the aggregation mostly waited for it, no sample of b; a's time still counts.
  input(3, [["a", 0.06, 2]], 9, ["b"]),
  // Nobody reported: no sample at all.
  input(4, [], 7),
  // A node that did no update gives no sample of c.
  input(
    5,
    [
      ["a", 0, 0],
      ["b", 0.12, 3],
    ],
    0.25,
  ),
];

const report = (tauDone: number): RoundReport =>
  ({ tauDone, localSeconds: 123, dataSize: 10 }) as RoundReport;

function costInput(round: number, taus: number[]): RoundCostInput {
  return { round, tau: Math.max(...taus), reports: taus.map(report), wallSeconds: 99 };
}

describe("recordedCostSamples", () => {
  it("takes each node's seconds per update, and b of the rounds that lost no node", () => {
    const r = recordedCostSamples(record);
    expect(r).toEqual({
      ok: true,
      samples: {
        nodes: [
          { id: "a", perStep: [0.01, 0.02, 0.03] },
          { id: "b", perStep: [0.04, 0.04, 0.04] },
        ],
        aggregation: [0.2, 0.3, 0.25],
      },
    });
  });

  it("says why a record is unusable", () => {
    expect(recordedCostSamples([])).toEqual({
      ok: false,
      message: "no round in which a node reported its local time",
    });
    expect(recordedCostSamples([input(1, [["a", 0, 0]], 0.2)])).toEqual({
      ok: false,
      message: "no round in which a node reported its local time",
    });
    expect(recordedCostSamples([input(1, [["a", 0.1, 1]], 0.2, ["b"])])).toEqual({
      ok: false,
      message: "no round that measured an aggregation (every round lost a node or had no report)",
    });
  });
});

describe("recordedCosts", () => {
  const r = recordedCostSamples(record);
  if (!r.ok) throw new Error(r.message);
  const { samples } = r;

  function draws(seed: number, scales: { localScale?: number; globalScale?: number } = {}) {
    const source = recordedCosts({ samples, seed, ...scales });
    return Array.from({ length: 40 }, (_, i) =>
      source.roundCost(costInput(i + 1, i % 2 === 0 ? [4, 4, 4] : [1, 3])),
    );
  }

  it("is the same for a seed, and another for another seed", () => {
    expect(draws(5)).toEqual(draws(5));
    expect(draws(6)).not.toEqual(draws(5));
    expect(recordedCosts({ samples, seed: 5 }).kind).toBe("simulated");
  });

  it("draws each node's time per update and b from the record; the slowest node sets the local time", () => {
    const a = samples.nodes[0].perStep;
    const b = samples.nodes[1].perStep;
    const seen = new Set<number>();
    draws(5).forEach((cost, i) => {
      // Node k of the round stands for recorded node k mod 2: [a, b, a] with 4 updates each,
      // or [a, b] with 1 and 3 updates.
      const local = cost.time.local;
      if (i % 2 === 0) {
        expect(a.map((s) => s * 4).concat(b.map((s) => s * 4))).toContain(local);
        expect(local).toBeGreaterThanOrEqual(0.04 * 4);
      } else {
        expect(local).toBeCloseTo(0.04 * 3, 15);
      }
      expect(samples.aggregation).toContain(cost.time.aggregation);
      seen.add(cost.time.aggregation);
    });
    // Every recorded b turns up; the lost round's 9 s and the empty round's 7 s never do.
    expect([...seen].sort()).toEqual([0.2, 0.25, 0.3]);
  });

  it("scales the drawn times, and passes counted bytes through", () => {
    const plain = draws(5);
    const scaled = draws(5, { localScale: 2, globalScale: 10 });
    scaled.forEach((cost, i) => {
      expect(cost.time.local).toBeCloseTo(2 * plain[i].time.local, 12);
      expect(cost.time.aggregation).toBeCloseTo(10 * plain[i].time.aggregation, 12);
    });
    const source = recordedCosts({ samples, seed: 1 });
    expect(source.roundCost({ ...costInput(1, [1]), bytes: 500 }).bytes).toEqual({
      local: 0,
      aggregation: 500,
    });
  });

  it("refuses samples it cannot draw from, and bad scales", () => {
    expect(() => recordedCosts({ samples: { nodes: [], aggregation: [0.1] }, seed: 1 })).toThrow(
      "Cannot draw recorded costs: no local time or no aggregation time to draw from",
    );
    expect(() => recordedCosts({ samples, seed: 1, localScale: -1 })).toThrow(
      "Cannot draw recorded costs: localScale must be a finite number >= 0, got -1",
    );
  });
});
