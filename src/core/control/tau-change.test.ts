import { describe, expect, it } from "vitest";
import type { SearchRecord } from "./control-record.js";
import type { RoundPlan } from "./round-plan.js";
import { explainTau, type TauChangeInput } from "./tau-change.js";

const plan = (round: number, tau: number, kind: RoundPlan["kind"] = "full"): RoundPlan => ({
  round,
  tau,
  kind,
  lastRound: kind === "evaluation",
});

const search = (patch: Partial<SearchRecord> = {}): SearchRecord => ({
  beta: 5,
  delta: 0.5,
  rho: 1,
  eta: 0.01,
  phi: 0.025,
  useMinLoss: true,
  resources: [{ name: "time", budget: 15, c: 0.013, b: 0.13 }],
  lastCandidate: 100,
  argmin: 20,
  objective: 3,
  ...patch,
});

const input = (patch: Partial<TauChangeInput>): TauChangeInput => ({
  ran: plan(6, 10),
  next: plan(7, 20),
  reason: "search",
  searchTau: 20,
  budget: { tau: 20, lastFull: false, binding: null },
  previous: search(),
  search: search(),
  nodes: { before: ["n1", "n2"], now: ["n1", "n2"], lost: [] },
  ...patch,
});

describe("explainTau: one line saying why the next tau is what it is", () => {
  it("names the input that moved most, estimates or costs", () => {
    const costs = search({ resources: [{ name: "time", budget: 15, c: 0.013, b: 1.3 }] });
    expect(explainTau(input({ search: costs }))).toEqual({
      cause: "costs",
      text: "tau 10 -> 20: b (time) 0.13 -> 1.3",
    });
    expect(explainTau(input({ search: search({ delta: 0.1, beta: 4.5 }) }))).toEqual({
      cause: "estimates",
      text: "tau 10 -> 20: delta 0.5 -> 0.1",
    });
  });

  it("says so when the budget is nearly spent, naming the binding resource", () => {
    const next = plan(7, 4, "last-full");
    const budget = { tau: 4, lastFull: true, binding: "time" };
    expect(explainTau(input({ next, budget }))).toEqual({
      cause: "budget",
      text: "tau 10 -> 4: budget nearly spent, the last full round takes what is left (time binds)",
    });
    expect(explainTau(input({ next: plan(7, 1, "evaluation") })).text).toBe(
      "tau 10 -> 1: budget spent; one evaluation-only round measures the loss of the last weights",
    );
  });

  it("says which nodes left or joined", () => {
    const nodes = { before: ["n1", "n2", "n3"], now: ["n1", "n2", "n4"], lost: ["n3"] };
    expect(explainTau(input({ nodes }))).toEqual({
      cause: "nodes",
      text: "tau 10 -> 20: nodes changed: n3 left (lost); n4 joined, 3 reporting",
    });
  });

  it("names the NaN fallback and the way back, the first estimates, and fixed tau", () => {
    expect(explainTau(input({ reason: "nan-fallback", next: plan(7, 1) })).cause).toBe(
      "nan-fallback",
    );
    expect(explainTau(input({ reason: "resume" })).text).toBe(
      "tau 10 -> 20: back to the tau before the NaN fallback round",
    );
    expect(explainTau(input({ previous: null })).text).toBe(
      "tau 10 -> 20: first estimates beta 5, delta 0.5, rho 1; c 0.013, b 0.13 (time)",
    );
    expect(explainTau(input({ reason: "fixed", next: plan(7, 10) }))).toEqual({
      cause: "fixed",
      text: "tau 10 -> 10: fixed tau",
    });
    expect(explainTau(input({ next: null }))).toEqual({ cause: "end", text: "the run is over" });
  });

  it("is unchanged when tau stays", () => {
    expect(explainTau(input({ next: plan(7, 10), searchTau: 10 }))).toEqual({
      cause: "unchanged",
      text: "tau 10 -> 10: unchanged",
    });
  });
});
