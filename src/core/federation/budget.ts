import type { ResourceAmount, ResourceName } from "../units.js";

/** One amount per budgeted resource: "time" in seconds, "bytes" in bytes (RunConfig.budget). */
export type BudgetTable = Readonly<Partial<Record<ResourceName, ResourceAmount>>>;

/**
 * A run's budget as it is given: a number is a time budget in seconds (`--budget 15`), a table
 * one amount per resource (`--budget time=15,bytes=20MB`). The run stops at whichever binds.
 */
export type Budget = number | BudgetTable;

/** The budget as the round engine takes it: one amount per resource. */
export function budgetTable(budget: Budget): BudgetTable {
  return typeof budget === "number" ? { time: budget } : { ...budget };
}

/** The time budget in seconds; undefined when the budget has none. */
export function timeBudgetOf(budget: Budget | undefined): number | undefined {
  if (budget === undefined) return undefined;
  return typeof budget === "number" ? budget : budget.time;
}

/**
 * The budget with its time part set to `seconds` and every other resource kept (the dashboard's
 * budget control changes the time only): a number stays a number.
 */
export function withTimeBudget(budget: Budget | undefined, seconds: number): Budget {
  return budget === undefined || typeof budget === "number"
    ? seconds
    : { ...budget, time: seconds };
}

/**
 * The largest share of any budget spent (0 without budgets): how far a run is towards its end,
 * from a round event's `spent` and `budget`.
 */
export function largestShare(
  spent: Readonly<Record<string, number>>,
  budget: Readonly<Record<string, number>>,
): number {
  let share = 0;
  for (const [name, amount] of Object.entries(budget)) {
    const used = spent[name];
    if (used !== undefined && amount > 0) share = Math.max(share, used / amount);
  }
  return share;
}

const BYTE_STEPS: readonly [number, string][] = [
  [1e9, "GB"],
  [1e6, "MB"],
  [1e3, "kB"],
];

/** An amount with its unit: "15 s", "2.5 MB" (decimal: 1 MB = 1,000,000 bytes), "512 B". */
export function formatAmount(resource: ResourceName, amount: ResourceAmount): string {
  const short = (v: number) => String(Number(v.toPrecision(4)));
  if (resource === "time") return `${short(amount)} s`;
  if (resource === "bytes") {
    for (const [size, unit] of BYTE_STEPS) {
      if (Math.abs(amount) >= size) return `${short(amount / size)} ${unit}`;
    }
    return `${short(amount)} B`;
  }
  return `${short(amount)} ${resource}`;
}

/** "15 s" for a time budget alone, else each resource: "time 15 s, bytes 20 MB". */
export function formatBudget(budget: Budget): string {
  const table = budgetTable(budget);
  const names = Object.keys(table).filter((name) => table[name] !== undefined);
  if (names.length === 1 && names[0] === "time") return formatAmount("time", table.time!);
  return names.map((name) => `${name} ${formatAmount(name, table[name]!)}`).join(", ");
}
