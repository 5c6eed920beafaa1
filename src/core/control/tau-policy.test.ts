import { describe, expect, it } from "vitest";
import { chooseTau, firstTau, type TauChoiceInput } from "./tau-policy.js";
import type { TauSearchResult } from "./tau-search.js";

const found = (tau: number): TauSearchResult => ({ tau, argmin: tau, objective: 1 });

const input = (over: Partial<TauChoiceInput>): TauChoiceInput => ({
  mode: "adaptive",
  round: 5,
  tau: 4,
  fallback: false,
  resume: null,
  search: (tauPrev) => found(tauPrev * 2),
  ...over,
});

describe("firstTau", () => {
  it("is 1 when adaptive, the fixed tau otherwise", () => {
    expect(firstTau("adaptive")).toBe(1);
    expect(firstTau(7)).toBe(7);
  });
});

describe("chooseTau", () => {
  it("keeps tau 1 after round 1 when adaptive, and searches from round 2 on", () => {
    const search = () => found(9);
    expect(chooseTau(input({ round: 1, tau: 1, search })).tau).toBe(1);
    const after2 = chooseTau(input({ round: 2, tau: 1, search }));
    expect(after2).toEqual({ tau: 9, resume: null, reason: "search", search: found(9) });
  });

  it("passes the tau just run as tauPrev", () => {
    expect(chooseTau(input({ tau: 6 })).tau).toBe(12);
  });

  it("keeps tau while estimates are missing", () => {
    const c = chooseTau(input({ search: () => null }));
    expect(c).toEqual({ tau: 4, resume: null, reason: "no-estimates", search: null });
  });

  it("holds a fixed tau", () => {
    expect(chooseTau(input({ mode: 5, tau: 5, round: 1 }))).toEqual({
      tau: 5,
      resume: null,
      reason: "fixed",
      search: null,
    });
  });

  it("runs tau 1 after a non-finite aggregate, then goes back to the tau it had", () => {
    const nan = chooseTau(input({ tau: 8, fallback: true }));
    expect(nan).toEqual({ tau: 1, resume: 8, reason: "nan-fallback", search: null });
    // The fallback round fails again: still tau 1, still going back to 8.
    const again = chooseTau(input({ tau: 1, fallback: true, resume: 8 }));
    expect(again).toMatchObject({ tau: 1, resume: 8 });
    const back = chooseTau(input({ tau: 1, resume: 8 }));
    expect(back).toEqual({ tau: 8, resume: null, reason: "resume", search: null });
  });

  it("goes back to the fixed tau after a fallback round", () => {
    const nan = chooseTau(input({ mode: 5, tau: 5, fallback: true }));
    expect(nan.tau).toBe(1);
    expect(chooseTau(input({ mode: 5, tau: 1, resume: nan.resume })).tau).toBe(5);
  });
});
