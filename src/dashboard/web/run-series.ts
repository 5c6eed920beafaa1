import type { BudgetUse, RoundPoint } from "../wire-types.js";

/** The per-round values the charts plot. */
export const METRICS = [
  "loss",
  "testLoss",
  "accuracy",
  "tau",
  "beta",
  "delta",
  "rho",
  "c",
  "b",
  "spent",
  "budget",
] as const;

export type Metric = (typeof METRICS)[number];

/** The column of one budgeted resource's share spent (spent / budget, 1 = all of it). */
export type ShareKey = `share-${string}`;

/** A column of a run's series: a fixed metric, or a resource's share of its budget spent. */
export type SeriesKey = Metric | ShareKey;

export function shareKey(resource: string): ShareKey {
  return `share-${resource}`;
}

/**
 * One run's rounds as columns (what uPlot draws), the latest `capacity` only: the fixed metrics,
 * and a share column for each budgeted resource (in the order they first appear; null in rounds
 * without it). Trimming happens in chunks so that appending stays cheap over thousands of rounds.
 */
export class RunSeries {
  readonly rounds: number[] = [];
  readonly values: Record<Metric, (number | null)[]>;
  private readonly shares = new Map<string, (number | null)[]>();
  /** The budgets of the latest round: spent and budget per resource. */
  latestBudgets: readonly BudgetUse[] = [];

  constructor(readonly capacity: number) {
    this.values = Object.fromEntries(METRICS.map((m) => [m, []])) as unknown as Record<
      Metric,
      (number | null)[]
    >;
  }

  static of(points: readonly RoundPoint[], capacity: number): RunSeries {
    const series = new RunSeries(capacity);
    for (const point of points) series.push(point);
    return series;
  }

  get length(): number {
    return this.rounds.length;
  }

  push(point: RoundPoint): void {
    // A round already held (sent twice) replaces nothing and is ignored.
    const last = this.rounds.at(-1);
    if (last !== undefined && point.round <= last) return;
    this.rounds.push(point.round);
    for (const metric of METRICS) this.values[metric].push(point[metric]);
    const budgets = point.budgets ?? [];
    for (const use of budgets) {
      if (!this.shares.has(use.resource)) {
        this.shares.set(use.resource, new Array<number | null>(this.rounds.length - 1).fill(null));
      }
    }
    for (const [resource, column] of this.shares) {
      const use = budgets.find((u) => u.resource === resource);
      column.push(use === undefined ? null : use.spent / use.budget);
    }
    if (budgets.length > 0) this.latestBudgets = budgets;
    const slack = Math.max(1, Math.ceil(this.capacity / 10));
    if (this.rounds.length >= this.capacity + slack) this.trim(this.rounds.length - this.capacity);
  }

  /** The budgeted resources seen, in the order they first appeared. */
  get resources(): string[] {
    return [...this.shares.keys()];
  }

  /** A column by its key (empty for a resource this run has no budget of). */
  column(key: SeriesKey): readonly (number | null)[] {
    if (key.startsWith("share-")) return this.shares.get(key.slice("share-".length)) ?? [];
    return this.values[key as Metric];
  }

  /** The latest value of a column that is not null. */
  latest(key: SeriesKey): number | null {
    const column = this.column(key);
    for (let k = column.length - 1; k >= 0; k--) if (column[k] !== null) return column[k];
    return null;
  }

  private trim(count: number): void {
    this.rounds.splice(0, count);
    for (const metric of METRICS) this.values[metric].splice(0, count);
    for (const column of this.shares.values()) column.splice(0, count);
  }
}

/** Columns in the layout uPlot wants: x (rounds), then one column per series. */
export type Columns = [number[], ...(number | null)[][]];

/**
 * The rounds of the current and the previous run on one x axis, and for each run the columns of
 * `metrics` (current first, then previous): both runs start at round 1, so the previous run's
 * curve lies behind the current one. When the current run holds only its latest rounds, the
 * previous run's earlier rounds are left out. `keep` can blank values (e.g. non-positive on a
 * log scale).
 */
export function alignRuns(
  current: RunSeries | null,
  previous: RunSeries | null,
  metrics: readonly SeriesKey[],
  keep: (v: number) => boolean = () => true,
): Columns {
  const a = current?.rounds ?? [];
  const b = previous?.rounds ?? [];
  const x: number[] = [];
  const fromA: number[] = [];
  const fromB: number[] = [];
  let i = 0;
  let j = 0;
  // When the current run holds only its latest rounds, the previous run is shown from there on.
  if (a.length > 0) while (j < b.length && b[j] < a[0]) j++;
  while (i < a.length || j < b.length) {
    const ra = i < a.length ? a[i] : Number.POSITIVE_INFINITY;
    const rb = j < b.length ? b[j] : Number.POSITIVE_INFINITY;
    const r = Math.min(ra, rb);
    x.push(r);
    fromA.push(ra === r ? i++ : -1);
    fromB.push(rb === r ? j++ : -1);
  }
  const column = (series: RunSeries | null, index: number[], metric: SeriesKey) => {
    const values = series?.column(metric) ?? [];
    return index.map((k) => {
      const v = k < 0 ? null : values[k];
      return v === null || v === undefined || !keep(v) ? null : v;
    });
  };
  return [
    x,
    ...metrics.map((m) => column(current, fromA, m)),
    ...metrics.map((m) => column(previous, fromB, m)),
  ];
}
