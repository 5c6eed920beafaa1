import { describe, expect, it } from "vitest";
import { BudgetLedger, lastFullTau } from "./budget-ledger.js";

// Amounts are binary fractions so that the hand-worked floors are exact.

describe("lastFullTau (one resource)", () => {
  const account = { budget: 16, spent: 10, c: 0.25, b: 0.5 };

  it("lets tau_new through while s + c (tau_new + 1) + 2b < R", () => {
    // 10 + 0.25 * 18 + 1 = 15.5 < 16
    expect(lastFullTau(account, 17, true)).toBeNull();
  });

  it("makes the next round the last full one at s + c (tau_new + 1) + 2b >= R", () => {
    // 10 + 0.25 * 20 + 1 = 16 >= 16: tau = floor((16 - 10 - 1 - 0.25) / 0.25) = 19
    expect(lastFullTau(account, 19, true)).toBe(19);
    // 10 + 0.25 * 21 + 1 = 16.25: still 19
    expect(lastFullTau(account, 20, true)).toBe(19);
    expect(lastFullTau(account, 100, true)).toBe(19);
  });

  it("without min-loss sets aside no evaluation round: s + c tau + b < R, floor((R - s - b) / c)", () => {
    // 10 + 0.25 * 22 + 0.5 = 16 >= 16: floor((16 - 10 - 0.5) / 0.25) = 22
    expect(lastFullTau(account, 21, false)).toBeNull();
    expect(lastFullTau(account, 22, false)).toBe(22);
    expect(lastFullTau(account, 50, false)).toBe(22);
  });

  it("clamps to at least 1 when even one update overruns", () => {
    expect(lastFullTau({ budget: 16, spent: 15.5, c: 0.25, b: 0.5 }, 10, true)).toBe(1);
    expect(lastFullTau({ budget: 16, spent: 20, c: 0.25, b: 0.5 }, 10, true)).toBe(1);
  });

  it("gives 1 when updates cost nothing but the aggregations overrun (c = 0)", () => {
    expect(lastFullTau({ budget: 16, spent: 15, c: 0, b: 0.5 }, 10, true)).toBe(1);
    expect(lastFullTau({ budget: 16, spent: 14, c: 0, b: 0.5 }, 10, true)).toBeNull();
  });
});

describe("BudgetLedger", () => {
  it("books c = local / tauDone, b = aggregation and s += both", () => {
    const ledger = BudgetLedger.create({ time: 16 });
    ledger.record({ time: { local: 2.5, aggregation: 0.5 } }, 10);
    ledger.record({ time: { local: 1, aggregation: 0.75 } }, 4);
    expect(ledger.spent()).toEqual({ time: 4.75 });
    expect(ledger.costs()).toEqual({ time: { c: 0.25, b: 0.75 } });
    expect(ledger.budgets()).toEqual({ time: 16 });
    expect(ledger.limits()).toEqual([{ budget: 16, c: 0.25, b: 0.75 }]);
  });

  it("keeps the latest c after a round without reports, and counts negative amounts as 0", () => {
    const ledger = BudgetLedger.create({ time: 16 });
    ledger.record({ time: { local: 2.5, aggregation: 0.5 } }, 10);
    ledger.record({ time: { local: 0, aggregation: -0.25 } }, 0);
    expect(ledger.costs().time).toEqual({ c: 0.25, b: 0 });
    expect(ledger.spent().time).toBe(3);
  });

  it("plans tau_new while the budget lasts, then the last full round", () => {
    const ledger = BudgetLedger.create({ time: 16 });
    ledger.record({ time: { local: 2, aggregation: 0.5 } }, 8); // c 0.25, b 0.5, s 2.5
    expect(ledger.plan(20, true)).toEqual({ tau: 20, lastFull: false, binding: null });
    ledger.record({ time: { local: 7, aggregation: 0.5 } }, 28); // s 10
    expect(ledger.plan(20, true)).toEqual({ tau: 19, lastFull: true, binding: "time" });
  });

  it("applies the rule with the tightest of two resources: bytes binding", () => {
    const ledger = BudgetLedger.create({ time: 16, bytes: 1000 });
    // time: s 10, c 0.25, b 0.5 -> 19. bytes: s 800, c 4, b 64:
    // 800 + 4 * 21 + 128 = 1012 >= 1000 -> floor((1000 - 800 - 128 - 4) / 4) = 17
    ledger.record(
      { time: { local: 4, aggregation: 1.5 }, bytes: { local: 0, aggregation: 672 } },
      10,
    );
    ledger.record(
      { time: { local: 4, aggregation: 0.5 }, bytes: { local: 64, aggregation: 64 } },
      16,
    );
    const moreBytes = BudgetLedger.restore(ledger.snapshot());
    expect(ledger.spent()).toEqual({ time: 10, bytes: 800 });
    expect(ledger.plan(20, true)).toEqual({ tau: 17, lastFull: true, binding: "bytes" });
    // With time binding instead: a larger byte budget leaves time's 19.
    const state = moreBytes.snapshot();
    const relaxed = BudgetLedger.restore({
      accounts: state.accounts.map((a) => (a.name === "bytes" ? { ...a, budget: 2000 } : a)),
    });
    expect(relaxed.plan(20, true)).toEqual({ tau: 19, lastFull: true, binding: "time" });
  });

  it("lets the tighter resource bind even when the other fits", () => {
    const ledger = BudgetLedger.create({ time: 100, bytes: 1000 });
    ledger.record(
      { time: { local: 2, aggregation: 0.5 }, bytes: { local: 0, aggregation: 900 } },
      8,
    );
    // time fits; bytes: 900 + 0 + 2 * 900 >= 1000 with c = 0 -> 1
    expect(ledger.plan(30, true)).toEqual({ tau: 1, lastFull: true, binding: "bytes" });
  });

  it("counts resources without a budget but never plans with them", () => {
    const ledger = BudgetLedger.create({ time: 16 });
    ledger.record({ time: { local: 1, aggregation: 1 }, bytes: { local: 0, aggregation: 1e9 } }, 4);
    expect(ledger.spent()).toEqual({ time: 2, bytes: 1e9 });
    expect(ledger.plan(5, true).lastFull).toBe(false);
    expect(ledger.limits()).toHaveLength(1);
  });

  it("refuses a round without the cost of a budgeted resource, or with a non-finite one", () => {
    const ledger = BudgetLedger.create({ time: 16, bytes: 1000 });
    expect(ledger.record({ time: { local: 1, aggregation: 1 } }, 4)).toEqual({
      ok: false,
      message: 'The cost source gave no "bytes" cost, yet the run has a "bytes" budget',
    });
    expect(
      ledger.record(
        { time: { local: Number.NaN, aggregation: 1 }, bytes: { local: 0, aggregation: 1 } },
        4,
      ).ok,
    ).toBe(false);
    expect(ledger.spent()).toEqual({ time: 0, bytes: 0 });
  });

  it("survives a JSON round trip of its state", () => {
    const ledger = BudgetLedger.create({ time: 16 });
    ledger.record({ time: { local: 2.5, aggregation: 0.5 } }, 10);
    const copy = BudgetLedger.restore(JSON.parse(JSON.stringify(ledger.snapshot())));
    expect(copy.snapshot()).toEqual(ledger.snapshot());
    expect(copy.plan(40, true)).toEqual(ledger.plan(40, true));
  });
});
