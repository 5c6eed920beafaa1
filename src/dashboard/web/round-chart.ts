import uPlot from "uplot";
import { el } from "./dom.js";
import type { LineSpec } from "./line-spec.js";
import type { PageRun } from "./page-store.js";
import { alignRuns, type RunSeries } from "./run-series.js";

export type { LineSpec } from "./line-spec.js";

/** One chart: what it plots and how its values read. */
export interface ChartSpec {
  readonly title: string;
  /** A short note under the title (what the quantity is). */
  readonly hint: string;
  /** The lines; `linesFor` (when given) picks them from the runs shown instead. */
  readonly lines: readonly LineSpec[];
  readonly linesFor?: (current: RunSeries | null, previous: RunSeries | null) => LineSpec[];
  readonly log?: boolean;
  /** The y axis from 0 to at least 1 (shares of a budget). */
  readonly upToOne?: boolean;
  readonly format: (v: number) => string;
}

const HEIGHT = 128;
const AXIS_FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
const AXIS = {
  font: AXIS_FONT,
  stroke: "#64748b",
  grid: { stroke: "#eef1f5", width: 1 },
  ticks: { stroke: "#e2e8f0", width: 1, size: 4 },
};

/**
 * A uPlot chart of some per-round values: the current run in full colour, the previous run faint
 * behind it, on round numbers. The heading shows the latest values, or those under the cursor.
 */
export class RoundChart {
  readonly element: HTMLElement;
  private plot: uPlot;
  private lines: readonly LineSpec[];
  private readonly holder: HTMLElement;
  private readonly values: HTMLElement;
  private hovering = false;
  private current: PageRun | null = null;

  constructor(private readonly spec: ChartSpec) {
    this.values = el("span", { class: "chart-values" });
    this.holder = el("div", { class: "chart-plot" });
    this.element = el("section", { class: "chart card" }, [
      el("header", { class: "chart-head" }, [
        el("h3", { title: spec.hint }, [spec.title]),
        this.values,
      ]),
      this.holder,
    ]);
    this.lines = spec.lines;
    this.plot = this.build();
    new ResizeObserver(() => this.fit(this.holder)).observe(this.holder);
  }

  /** A uPlot of the current lines, in the holder (any earlier one destroyed first). */
  private build(): uPlot {
    const spec = this.spec;
    const label = (v: number | null) => (v === null ? "" : spec.format(v));
    const line = (l: LineSpec, faint: boolean): uPlot.Series => ({
      label: faint ? `${l.label} (previous run)` : l.label,
      stroke: `rgba(${l.rgb}, ${faint ? 0.28 : 1})`,
      width: faint ? 1.25 : 1.75,
      ...(l.dash ? { dash: l.dash } : {}),
      ...(l.stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
      points: { show: false },
      spanGaps: true,
    });
    const y: uPlot.Scale = spec.log
      ? { distr: 3 }
      : spec.upToOne
        ? { range: (_u, _min, max) => [0, Math.max(1, max)] }
        : {};
    const width = Math.floor(this.holder.clientWidth);
    return new uPlot(
      {
        width: width > 0 ? width : 300,
        height: HEIGHT,
        series: [
          { label: "round" },
          ...this.lines.map((l) => line(l, false)),
          ...this.lines.map((l) => line(l, true)),
        ],
        scales: { x: { time: false }, y },
        axes: [
          { ...AXIS, size: 24, space: 50 },
          spec.log
            ? {
                ...AXIS,
                size: 54,
                splits: (_u, _i, min, max) => logSplits(min, max),
                filter: (_u, splits) => splits,
                values: (_u, ticks) => ticks.map(label),
              }
            : { ...AXIS, size: 54, space: 24, values: (_u, ticks) => ticks.map(label) },
        ],
        legend: { show: false },
        cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 5 } },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        padding: [8, 18, 0, 0],
        hooks: { setCursor: [(u) => this.showCursor(u)] },
      },
      [[]],
      this.holder,
    );
  }

  /** Draws the runs again (call at most once per frame). */
  update(current: PageRun | null, previous: PageRun | null): void {
    this.current = current;
    const wanted = this.spec.linesFor?.(current?.rounds ?? null, previous?.rounds ?? null);
    if (wanted !== undefined && !sameLines(wanted, this.lines)) {
      for (const l of this.lines) this.element.removeAttribute(latestAttribute(l));
      this.lines = wanted;
      this.plot.destroy();
      this.plot = this.build();
    }
    const keep = this.spec.log ? (v: number) => v > 0 : undefined;
    const data = alignRuns(
      current?.rounds ?? null,
      previous?.rounds ?? null,
      this.lines.map((l) => l.metric),
      keep,
    );
    this.plot.setData(data as uPlot.AlignedData);
    if (!this.hovering) this.showLatest();
    // For tests and tools: how many rounds of the current run, and the latest values.
    const rounds = current?.rounds;
    this.element.dataset.points = String(rounds?.length ?? 0);
    for (const l of this.lines) {
      this.element.setAttribute(latestAttribute(l), String(rounds?.latest(l.metric) ?? ""));
    }
  }

  private fit(holder: HTMLElement): void {
    const width = Math.floor(holder.clientWidth);
    if (width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: HEIGHT });
  }

  private showLatest(): void {
    const series = this.current?.rounds;
    const parts = this.lines.map((l) => {
      const v = series?.latest(l.metric) ?? null;
      return this.part(l, v);
    });
    this.values.replaceChildren(...parts);
  }

  private showCursor(u: uPlot): void {
    const idx = u.cursor.idx;
    this.hovering = idx !== null && idx !== undefined;
    if (!this.hovering) {
      this.showLatest();
      return;
    }
    const k = idx as number;
    const round = u.data[0][k];
    const parts = this.lines.map((l, i) =>
      this.part(l, (u.data[i + 1]?.[k] as number | null) ?? null),
    );
    this.values.replaceChildren(el("span", { class: "chart-round" }, [`round ${round}`]), ...parts);
  }

  private part(line: LineSpec, value: number | null): HTMLElement {
    return el("span", { class: "chart-value" }, [
      el("i", { style: `background: rgb(${line.rgb})` }),
      this.lines.length > 1 ? `${line.label} ` : "",
      value === null ? "–" : this.spec.format(value),
    ]);
  }
}

/** The chart's attribute with a line's latest value: data-latest-loss, data-latest-share-bytes. */
function latestAttribute(line: LineSpec): string {
  return `data-latest-${line.metric.toLowerCase()}`;
}

function sameLines(a: readonly LineSpec[], b: readonly LineSpec[]): boolean {
  return a.length === b.length && a.every((l, k) => l.metric === b[k].metric);
}

/** Ticks of a log scale at 1, 2 and 5 times the powers of ten between min and max. */
export function logSplits(min: number, max: number): number[] {
  if (!(min > 0 && max > min)) return [];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(Number(v.toPrecision(12)));
    }
  }
  // Over more than two decades, the powers of ten are enough.
  return out.length > 7 ? out.filter((v) => Number(v.toExponential(0)[0]) === 1) : out;
}
