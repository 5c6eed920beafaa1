import { describe, expect, it } from "vitest";
import {
  roundEventFixture,
  searchFixture,
} from "../aggregator/test-support/round-event-fixture.js";
import { boundAt } from "../core/control/tau-search.js";
import {
  boundCurve,
  curveCandidates,
  decisionView,
  MAX_CURVE_POINTS,
  runPoints,
} from "./controller-view.js";

describe("the G(tau) curve", () => {
  it("is boundAt at every candidate 1 .. lastCandidate", () => {
    const search = searchFixture();
    expect(search.argmin).toBe(66);
    const curve = boundCurve(search, [search.argmin]);
    expect(curve.tau).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(curve.g).toEqual(curve.tau.map((t) => boundAt(search, t)));
    // The search's own result is on it: its least value is at the argmin.
    const least = Math.min(...curve.g);
    expect(curve.tau[curve.g.indexOf(least)]).toBe(search.argmin);
  });

  it("leaves out the candidates whose bound is not finite", () => {
    // beta 1e6: (eta beta + 1)^tau overflows beyond tau 77, and h(tau) with it.
    const search = searchFixture({ beta: 1e6, argmin: 1 });
    expect(boundAt(search, 78)).toBe(Number.POSITIVE_INFINITY);
    const curve = boundCurve(search, [1]);
    expect(curve.tau).toEqual(Array.from({ length: 77 }, (_, k) => k + 1));
    expect(curve.g.every((g) => Number.isFinite(g) && g > 0)).toBe(true);
    // Nothing feasible: an empty curve.
    const none = searchFixture({ resources: [{ name: "time", budget: 0.01, c: 0.003, b: 0.02 }] });
    expect(boundCurve(none)).toEqual({ tau: [], g: [] });
  });

  it("spreads a long range over at most 100 points, the chosen tau and the argmin among them", () => {
    expect(curveCandidates(1000, 100, [437, 3])).toHaveLength(100);
    const search = searchFixture({ lastCandidate: 1000, argmin: 3 });
    const curve = boundCurve(search, [437, 3]);
    expect(curve.tau.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(curve.tau).toContain(437);
    expect(curve.tau).toContain(3);
    expect(curve.tau[0]).toBe(1);
    expect(curve.tau.at(-1)).toBe(1000);
    expect([...curve.tau].sort((a, b) => a - b)).toEqual(curve.tau);
    expect(curve.g).toEqual(curve.tau.map((t) => boundAt(search, t)));
  });

  it("comes with the decision: the next tau, why, the binding resource and the inputs", () => {
    const event = roundEventFixture({
      round: 24,
      tau: 74,
      next: 9,
      binding: "time",
      search: searchFixture({
        resources: [{ name: "time", budget: 0.2, c: 0.00344, b: 0.0168 }],
        argmin: 9,
      }),
      change: { cause: "budget", text: "tau 74 -> 9: budget nearly spent" },
    });
    const d = decisionView(event);
    expect(d).toMatchObject({
      nextTau: 9,
      cause: "budget",
      binding: "time",
      search: { beta: 1.136, argmin: 9, resources: [{ name: "time", budget: 0.2, c: 0.00344 }] },
    });
    expect(d.search?.curve.tau).toContain(9);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe("a run's points", () => {
  it("carry the decision on the newest round and on the newest with a search only", () => {
    const events = [
      roundEventFixture({ round: 1, tau: 1, next: 1, search: null }),
      roundEventFixture({ round: 2, tau: 1, next: 38 }),
      roundEventFixture({ round: 3, tau: 38, next: 26 }),
      roundEventFixture({ round: 4, tau: 26, next: 1, search: null }),
    ];
    const points = runPoints(events);
    expect(points.map((p) => p.decision !== undefined)).toEqual([false, false, true, true]);
    expect(points[2].decision?.search?.curve.tau).toHaveLength(100);
    expect(points[3].decision?.search).toBeNull();
    expect(points.map((p) => p.tauChange)).toEqual([
      null,
      "round 2: tau 1 -> 38: b (time) 0.01 -> 0.1",
      "round 3: tau 38 -> 26: b (time) 0.01 -> 0.1",
      "round 4: tau 26 -> 1: b (time) 0.01 -> 0.1",
    ]);
    expect(runPoints([])).toEqual([]);
  });
});
