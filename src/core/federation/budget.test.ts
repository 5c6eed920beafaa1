import { describe, expect, it } from "vitest";
import {
  budgetTable,
  formatAmount,
  formatBudget,
  largestShare,
  timeBudgetOf,
  withTimeBudget,
} from "./budget.js";

describe("budget", () => {
  it("takes a number as a time budget in seconds", () => {
    expect(budgetTable(15)).toEqual({ time: 15 });
    expect(budgetTable({ time: 15, bytes: 2e6 })).toEqual({ time: 15, bytes: 2e6 });
    expect(timeBudgetOf(15)).toBe(15);
    expect(timeBudgetOf({ bytes: 2e6 })).toBeUndefined();
    expect(timeBudgetOf(undefined)).toBeUndefined();
  });

  it("changes the time part only, keeping every other resource", () => {
    expect(withTimeBudget(15, 20)).toBe(20);
    expect(withTimeBudget(undefined, 20)).toBe(20);
    expect(withTimeBudget({ time: 15, bytes: 2e6 }, 20)).toEqual({ time: 20, bytes: 2e6 });
    expect(withTimeBudget({ bytes: 2e6 }, 20)).toEqual({ time: 20, bytes: 2e6 });
  });

  it("tells the largest share of any budget spent", () => {
    expect(largestShare({ time: 3, bytes: 1.5e6 }, { time: 15, bytes: 2e6 })).toBe(0.75);
    expect(largestShare({ time: 12, bytes: 1e6 }, { time: 15 })).toBe(0.8);
    expect(largestShare({ time: 12 }, {})).toBe(0);
  });

  it("writes amounts with decimal byte units", () => {
    expect(formatAmount("time", 15)).toBe("15 s");
    expect(formatAmount("bytes", 512)).toBe("512 B");
    expect(formatAmount("bytes", 2_048)).toBe("2.048 kB");
    expect(formatAmount("bytes", 20e6)).toBe("20 MB");
    expect(formatAmount("bytes", 3.2e9)).toBe("3.2 GB");
    expect(formatBudget(15)).toBe("15 s");
    expect(formatBudget({ time: 15 })).toBe("15 s");
    expect(formatBudget({ time: 15, bytes: 2e6 })).toBe("time 15 s, bytes 2 MB");
  });
});
