import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type BoundParameters,
  boundAt,
  divergence,
  searchTau,
  type TauSearchInput,
  updatesAllowed,
} from "./tau-search.js";

interface GoldenCase {
  beta: number;
  delta: number;
  rho: number;
  eta: number;
  phi: number;
  c: number;
  b: number;
  budget: number;
  tauPrev: number;
  useMinLoss: boolean;
  tauMax: number;
  tau: number;
  objective: number | null;
  objectiveByTau: Record<string, number | null>;
}

const golden: { cases: GoldenCase[] } = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/golden/tau_search.json", import.meta.url), "utf8"),
);

function inputOf(c: GoldenCase): TauSearchInput {
  return {
    beta: c.beta,
    delta: c.delta,
    rho: c.rho,
    eta: c.eta,
    phi: c.phi,
    resources: [{ budget: c.budget, c: c.c, b: c.b }],
    useMinLoss: c.useMinLoss,
    tauPrev: c.tauPrev,
    tauMax: c.tauMax,
  };
}

function expectRelative(actual: number | null, expected: number | null): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

const label = (c: GoldenCase, i: number) =>
  `case ${i}: beta ${c.beta}, delta ${c.delta}, rho ${c.rho}, c ${c.c}, b ${c.b}, R ${c.budget}, tauPrev ${c.tauPrev}, min-loss ${c.useMinLoss}`;

describe("searchTau (golden/tau_search.json)", () => {
  it.each(golden.cases.map((c, i) => [label(c, i), c] as const))("%s", (_l, c) => {
    const result = searchTau(inputOf(c));
    expect(result.tau).toBe(c.tau);
    expectRelative(result.objective, c.objective);
    for (const [tau, g] of Object.entries(c.objectiveByTau)) {
      expectRelative(boundAt(inputOf(c), Number(tau)), g);
    }
  });

  it("covers both rules, tauMax, delta = 0, tiny beta and the all-infeasible case", () => {
    expect(golden.cases.some((c) => c.useMinLoss) && golden.cases.some((c) => !c.useMinLoss)).toBe(
      true,
    );
    expect(golden.cases.some((c) => c.objective === null)).toBe(true);
    expect(golden.cases.some((c) => c.tau === c.tauMax)).toBe(true);
  });
});

const base: TauSearchInput = {
  beta: 1,
  delta: 0.5,
  rho: 1,
  eta: 0.01,
  phi: 0.025,
  resources: [{ budget: 15, c: 0.01, b: 0.1 }],
  useMinLoss: true,
  tauPrev: 10,
  tauMax: 100,
};

describe("divergence h(tau)", () => {
  it("is 0 when delta = 0, whatever tau", () => {
    for (const tau of [1, 10, 1000]) expect(divergence(3, 0, 0.01, tau)).toBe(0);
  });

  it("is 0 rather than NaN for a tiny or zero beta", () => {
    for (const beta of [0, 1e-300, 5e-324]) {
      for (const tau of [1, 50, 1000]) expect(divergence(beta, 2, 0.01, tau)).toBe(0);
    }
  });

  it("is Infinity, not NaN, when (eta beta + 1)^tau overflows", () => {
    expect(divergence(1e4, 1, 0.01, 1000)).toBe(Number.POSITIVE_INFINITY);
  });

  it("matches the formula at a plain point", () => {
    const h = (0.5 / 2) * (1.02 ** 10 - 1) - 0.5 * 0.01 * 10;
    expect(divergence(2, 0.5, 0.01, 10)).toBeCloseTo(h, 15);
  });
});

describe("updatesAllowed T(tau)", () => {
  it("is (R - c - b) tau / (c tau + b) with min-loss, R tau / (c tau + b) without", () => {
    const r = [{ budget: 16, c: 0.5, b: 1.5 }];
    expect(updatesAllowed(r, true, 4)).toBe((14 * 4) / 3.5);
    expect(updatesAllowed(r, false, 4)).toBe((16 * 4) / 3.5);
  });

  it("takes the least over the resources", () => {
    const time = { budget: 16, c: 0.5, b: 1.5 };
    const bytes = { budget: 1000, c: 0, b: 250 };
    // bytes: (1000 - 250) * 4 / 250 = 12 < time: 56 / 3.5 = 16
    expect(updatesAllowed([time, bytes], true, 4)).toBe(12);
    expect(updatesAllowed([time], true, 4)).toBe(16);
  });

  it("lets a resource that a round does not use limit nothing", () => {
    expect(updatesAllowed([{ budget: 10, c: 0, b: 0 }], true, 3)).toBe(Number.POSITIVE_INFINITY);
  });

  it("is <= 0 where the budget cannot pay one round: the candidate is infeasible", () => {
    const r = [{ budget: 1, c: 0.5, b: 0.5 }];
    expect(updatesAllowed(r, true, 3)).toBe(0);
    expect(boundAt({ ...base, resources: r }, 3)).toBeNull();
  });
});

describe("searchTau", () => {
  it("searches 1 .. 10 tauPrev: tau grows at most tenfold", () => {
    // delta = 0: G decreases with tau, so the search takes the end of its range.
    const free = { ...base, delta: 0 };
    expect(searchTau({ ...free, tauPrev: 1 }).tau).toBe(10);
    expect(searchTau({ ...free, tauPrev: 3 }).tau).toBe(30);
    expect(searchTau({ ...free, tauPrev: 7 }).argmin).toBe(70);
  });

  it("caps the argmin at tauMax", () => {
    const r = searchTau({ ...base, delta: 0, tauPrev: 50, tauMax: 100 });
    expect(r.argmin).toBe(500);
    expect(r.tau).toBe(100);
  });

  it("gives tau 1 and no objective when every candidate is infeasible", () => {
    const r = searchTau({ ...base, resources: [{ budget: 1, c: 2, b: 2 }] });
    expect(r).toEqual({ tau: 1, argmin: 1, objective: null });
  });

  it("stays finite when (eta beta + 1)^tau overflows for the large candidates", () => {
    const r = searchTau({ ...base, beta: 1e4, delta: 10, tauPrev: 100 });
    expect(Number.isFinite(r.objective)).toBe(true);
    expect(r.tau).toBeGreaterThanOrEqual(1);
    expect(r.tau).toBeLessThan(100);
  });

  it("never produces NaN for rho = 0 with an overflowing h", () => {
    const p: BoundParameters = { ...base, beta: 1e4, delta: 10, rho: 0 };
    expect(boundAt(p, 1000)).toBe(boundAt({ ...p, delta: 0 }, 1000));
    expect(Number.isNaN(boundAt(p, 1000))).toBe(false);
  });

  it("handles a resource with c = 0 (bytes: only aggregations send)", () => {
    const resources = [
      { budget: 15, c: 0.01, b: 0.1 },
      { budget: 4000, c: 0, b: 100 },
    ];
    const r = searchTau({ ...base, resources });
    expect(r.objective).not.toBeNull();
    // With a tight byte budget every aggregation is dear: tau does not shrink.
    expect(r.tau).toBeGreaterThanOrEqual(searchTau(base).tau);
  });

  it("is bounded when no resource limits the run (T = Infinity)", () => {
    const r = searchTau({ ...base, resources: [{ budget: 10, c: 0, b: 0 }] });
    expect(Number.isFinite(r.objective)).toBe(true);
  });

  it("keeps the smallest tau on ties", () => {
    // No resources: T = Infinity, delta = 0: G = 0 at every tau.
    const r = searchTau({ ...base, delta: 0, resources: [] });
    expect(r).toEqual({ tau: 1, argmin: 1, objective: 0 });
  });
});
