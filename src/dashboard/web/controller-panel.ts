import uPlot from "uplot";
import "./controller-panel.css";
import type { WireSearch } from "../wire-types.js";
import { ControllerBook, curveMarks, type SearchedDecision } from "./controller-book.js";
import { el } from "./dom.js";
import { duration, num } from "./format.js";
import { logSplits } from "./round-chart.js";

const HEIGHT = 132;
const AXIS = {
  font: "11px system-ui, -apple-system, 'Segoe UI', sans-serif",
  stroke: "#64748b",
  grid: { stroke: "#eef1f5", width: 1 },
  ticks: { stroke: "#e2e8f0", width: 1, size: 4 },
};
const CURVE = "37, 99, 235";
const CHOSEN = "147, 51, 234";
const ARGMIN = "234, 88, 12";

/**
 * The controller on the page: the latest tau decision and why, the bound G(tau) its search
 * minimised over the candidates (log scale, the chosen tau and the argmin marked), the estimates
 * and costs the search used, and the latest lines saying why tau changed. The curve's points come
 * computed with each round (src/dashboard/controller-view.ts); the page only draws them.
 */
export class ControllerPanel {
  readonly book = new ControllerBook();
  private readonly decision: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly plot: uPlot;
  private readonly inputs: HTMLElement;
  private readonly reasons: HTMLOListElement;
  /** The search drawn (undefined: none drawn yet). */
  private shown: SearchedDecision | null | undefined = undefined;

  constructor(private readonly box: HTMLElement) {
    this.decision = el("p", { class: "controller-decision" });
    this.caption = el("span", { class: "chart-values" });
    const holder = el("div", { class: "chart-plot" });
    this.chart = el("div", { id: "bound-chart", class: "bound-chart", "data-points": "0" }, [
      el("header", { class: "chart-head" }, [
        el(
          "h3",
          {
            title:
              "The bound on the loss the search minimised: lower is better; the chosen τ is marked",
          },
          ["G(τ) over the candidates"],
        ),
        this.caption,
      ]),
      holder,
    ]);
    this.inputs = el("dl", { class: "controller-inputs" });
    this.reasons = el("ol", { id: "tau-reasons", class: "tau-reasons" });
    box.replaceChildren(
      el("h2", {}, ["Controller ", el("span", { class: "muted small" }, ["why τ is what it is"])]),
      this.decision,
      this.chart,
      this.inputs,
      el("h3", { class: "controller-subtitle" }, ["τ changes, newest first"]),
      this.reasons,
    );
    const marker = (label: string, rgb: string, size: number): uPlot.Series => ({
      label,
      stroke: `rgb(${rgb})`,
      fill: `rgb(${rgb})`,
      paths: () => null,
      points: { show: true, size, width: 1, stroke: `rgb(${rgb})`, fill: `rgb(${rgb})` },
    });
    this.plot = new uPlot(
      {
        width: 300,
        height: HEIGHT,
        series: [
          { label: "τ" },
          {
            label: "G",
            stroke: `rgb(${CURVE})`,
            width: 1.5,
            points: { show: false },
            spanGaps: false,
          },
          marker("chosen τ", CHOSEN, 9),
          marker("argmin", ARGMIN, 7),
        ],
        scales: {
          x: { time: false },
          // The curve's own range, not whole decades: the minimum is what one looks for.
          y: { distr: 3, range: (_u, min, max) => (min > 0 ? [min / 1.15, max * 1.15] : [1, 10]) },
        },
        axes: [
          { ...AXIS, size: 24, space: 40 },
          {
            ...AXIS,
            size: 48,
            splits: (_u, _i, min, max) => logSplits(min, max),
            filter: (_u, splits) => splits,
            values: (_u, ticks) => ticks.map((v) => num(v, 2)),
          },
        ],
        legend: { show: false },
        cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 5 } },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        padding: [8, 14, 0, 0],
        hooks: { setCursor: [(u) => this.showCursor(u)] },
      },
      [[], [], [], []],
      holder,
    );
    new ResizeObserver(() => {
      const width = Math.floor(holder.clientWidth);
      if (width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: HEIGHT });
    }).observe(holder);
  }

  /** Draws what changed since the last call (at most once per frame). */
  draw(): void {
    const { book } = this;
    if (!book.dirty) return;
    book.dirty = false;
    this.drawDecision();
    if (book.searched !== this.shown) this.drawSearch(book.searched);
    this.reasons.replaceChildren(
      ...book.reasons.map((r) => el("li", { "data-round": String(r.round) }, [r.text])),
    );
    this.box.dataset.reasons = String(book.reasons.length);
  }

  private drawDecision(): void {
    const latest = this.book.latest;
    if (latest === null) {
      this.decision.replaceChildren(el("span", { class: "muted" }, ["No decision yet."]));
      return;
    }
    const { decision, round } = latest;
    const next = decision.nextTau === null ? "the run is over" : `next τ ${decision.nextTau}`;
    this.decision.replaceChildren(
      el("strong", {}, [`after round ${round}: ${next}`]),
      ...(decision.binding === null
        ? []
        : [" ", el("span", { class: "binding" }, [`${decision.binding} binds`])]),
      el("span", { class: "controller-why" }, [decision.text]),
    );
  }

  private drawSearch(shown: SearchedDecision | null): void {
    this.shown = shown;
    this.chart.hidden = shown === null;
    if (shown === null) {
      this.plot.setData([[], [], [], []]);
      this.chart.dataset.points = "0";
      this.chart.dataset.chosen = "";
      this.chart.dataset.argmin = "";
      this.caption.replaceChildren("no search yet");
      this.inputs.replaceChildren();
      return;
    }
    const { search, decision, round } = shown;
    const { tau, g } = search.curve;
    const marks = curveMarks(search, decision.nextTau);
    const only = (k: number | null) => g.map((v, i) => (i === k ? v : null));
    this.plot.setData([
      [...tau],
      [...g],
      only(marks.chosen),
      only(marks.argmin),
    ] as uPlot.AlignedData);
    // For tests and tools.
    this.chart.dataset.points = String(tau.length);
    this.chart.dataset.chosen = marks.chosen === null ? "" : String(tau[marks.chosen]);
    this.chart.dataset.argmin = marks.argmin === null ? "" : String(tau[marks.argmin]);
    this.chart.dataset.round = String(round);
    this.showCaption();
    this.inputs.replaceChildren(...inputRows(search, decision.binding));
  }

  private showCaption(): void {
    const shown = this.shown;
    if (shown === null || shown === undefined) return;
    const { search, decision, round } = shown;
    const parts = [
      el("span", { class: "chart-round" }, [`round ${round}`]),
      mark(CHOSEN, `τ ${decision.nextTau ?? "–"}`),
    ];
    if (search.argmin !== decision.nextTau) parts.push(mark(ARGMIN, `argmin ${search.argmin}`));
    parts.push(el("span", {}, [`of 1..${search.lastCandidate}`]));
    this.caption.replaceChildren(...parts);
  }

  private showCursor(u: uPlot): void {
    const k = u.cursor.idx;
    if (k === null || k === undefined) {
      this.showCaption();
      return;
    }
    const tau = u.data[0][k];
    const g = u.data[1][k] as number | null;
    this.caption.replaceChildren(
      el("span", { class: "chart-round" }, [`τ ${tau}`]),
      el("span", {}, [`G ${num(g, 4)}`]),
    );
  }
}

function mark(rgb: string, text: string): HTMLElement {
  return el("span", { class: "chart-value" }, [
    el("i", { class: "dot", style: `background: rgb(${rgb})` }),
    text,
  ]);
}

/** The estimates and, per resource, the budget, c and b the search used. */
function inputRows(search: WireSearch, binding: string | null): HTMLElement[] {
  const rows = [
    el("dt", {}, ["estimates"]),
    el("dd", {}, [`β ${num(search.beta)} · δ ${num(search.delta)} · ρ ${num(search.rho)}`]),
  ];
  for (const r of search.resources) {
    const amount = (v: number | null) => (r.name === "time" ? duration(v) : num(v));
    rows.push(
      el("dt", {}, [r.name === binding ? `${r.name} (binds)` : r.name]),
      el(
        "dd",
        {
          title:
            "R: the budget the search counted on (what is left, or the paper's total); c: one local update; b: one aggregation",
        },
        [`R ${amount(r.budget)} · c ${amount(r.c)} · b ${amount(r.b)}`],
      ),
    );
  }
  return rows;
}
