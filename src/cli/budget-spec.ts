import { type Budget, timeBudgetOf } from "../core/federation/budget.js";

/**
 * `--budget`: a time budget alone (`15`, `90s`, `2m`: seconds unless m says minutes), or a list
 * of resource=amount items (`time=15,bytes=20MB`). Byte units: B; kB (= KB), MB, GB are decimal
 * (1 MB = 1,000,000 bytes), KiB, MiB, GiB binary (1 MiB = 1,048,576 bytes); a plain number is
 * bytes. Every problem is one sentence naming the flag.
 */

interface ResourceUnits {
  readonly units: Readonly<Record<string, number>>;
  /** The units as an error sentence lists them. */
  readonly expected: string;
}

const RESOURCES: Readonly<Record<string, ResourceUnits>> = {
  time: { units: { "": 1, s: 1, m: 60 }, expected: "s or m" },
  bytes: {
    units: {
      "": 1,
      B: 1,
      kB: 1e3,
      KB: 1e3,
      MB: 1e6,
      GB: 1e9,
      KiB: 1024,
      MiB: 1024 ** 2,
      GiB: 1024 ** 3,
    },
    expected: "B, kB, MB, GB, KiB, MiB, GiB",
  },
};

/** A number, then optionally a unit: "15", "2.5MB", "90 s", "1e6". */
const AMOUNT = /^(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)\s*([A-Za-z]*)$/;

/** The budget `--budget TEXT` gives: a number (seconds) for a time alone, else a table. */
export function parseBudget(text: string): Budget {
  const t = text.trim();
  if (!t.includes("=") && !t.includes(",")) {
    const seconds = amountOf(t, "time", t);
    if (seconds === null) {
      throw new Error(
        `--budget needs a positive number of seconds or a list such as time=15,bytes=20MB, got "${text}"`,
      );
    }
    return seconds;
  }
  const table: Record<string, number> = {};
  for (const raw of t.split(",")) {
    const item = raw.trim();
    if (item === "") throw new Error(`--budget: "${t}" has an empty item`);
    const eq = item.indexOf("=");
    if (eq < 0) {
      throw new Error(`--budget: "${item}" is not resource=amount (as in time=15 or bytes=20MB)`);
    }
    const name = item.slice(0, eq).trim();
    if (!Object.hasOwn(RESOURCES, name)) {
      throw new Error(
        `--budget: unknown resource "${name}" in "${item}" (expected ${Object.keys(RESOURCES).join(" or ")})`,
      );
    }
    if (Object.hasOwn(table, name)) throw new Error(`--budget: "${name}" is given twice`);
    const amount = amountOf(item.slice(eq + 1).trim(), name, item);
    if (amount === null) throw new Error(`--budget: "${item}" needs a positive amount`);
    table[name] = amount;
  }
  return table;
}

/** The amount of `text` in the resource's base unit; null when it is no positive number. */
function amountOf(text: string, resource: string, item: string): number | null {
  const m = AMOUNT.exec(text);
  if (m === null) return null;
  const { units, expected } = RESOURCES[resource];
  const unit = m[2];
  if (!Object.hasOwn(units, unit)) {
    throw new Error(`--budget: "${item}" has an unknown unit "${unit}" (expected ${expected})`);
  }
  const amount = Number(m[1]) * units[unit];
  return Number.isFinite(amount) && amount > 0 ? amount : null;
}

/** What a command's runs are, for what their budget must hold. */
export interface BudgetNeeds {
  /** Some run has adaptive tau. */
  readonly adaptive: boolean;
  /**
   * Whether `--rounds` limits the runs; undefined for a command without that flag (every run
   * then ends on its budget).
   */
  readonly rounds?: boolean;
}

/**
 * The sentence saying why the runs cannot go with this budget, or null when they can: adaptive tau
 * needs a time budget (the tau search weighs updates against it), and so does a fixed-tau run
 * without a round limit.
 */
export function budgetProblem(budget: Budget, needs: BudgetNeeds): string | null {
  if (timeBudgetOf(budget) !== undefined) return null;
  if (needs.adaptive) return "--budget needs a time budget: adaptive tau weighs updates against it";
  if (needs.rounds === true) return null;
  return needs.rounds === false
    ? "--budget needs a time budget when --rounds is not given"
    : "--budget needs a time budget: these runs have no round limit";
}
