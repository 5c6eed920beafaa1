import { budgetLines, resourcesOf } from "./budget-lines.js";
import { num, percent } from "./format.js";
import type { PageStore } from "./page-store.js";
import { type ChartSpec, RoundChart } from "./round-chart.js";

/** The charts, in reading order. */
export const CHARTS: readonly ChartSpec[] = [
  {
    title: "Global loss",
    hint: "F(w): the loss of the global model on all nodes' data (solid), and on the test set (dashed)",
    lines: [
      { metric: "loss", label: "F(w)", rgb: "37, 99, 235" },
      { metric: "testLoss", label: "test", rgb: "37, 99, 235", dash: [4, 3] },
    ],
    format: (v) => num(v, 3),
  },
  {
    title: "Test accuracy",
    hint: "The global model's accuracy on the test digits",
    lines: [{ metric: "accuracy", label: "accuracy", rgb: "22, 163, 74" }],
    format: (v) => percent(v).replace(".0 %", " %"),
  },
  {
    title: "τ (tau)",
    hint: "Local updates between two aggregations",
    lines: [{ metric: "tau", label: "tau", rgb: "147, 51, 234", stepped: true }],
    format: (v) => num(v, 3),
  },
  {
    title: "Budget spent",
    hint: "Share of each budget spent so far, one line per budgeted resource (time, bytes): 100 % is the budget; the run stops at whichever binds",
    lines: budgetLines([]),
    linesFor: (current, previous) => budgetLines(resourcesOf(current, previous)),
    upToOne: true,
    format: (v) => `${num(v * 100, 3)} %`,
  },
  {
    title: "β (beta)",
    hint: "Estimated smoothness: how fast the gradient changes with the weights",
    lines: [{ metric: "beta", label: "beta", rgb: "8, 145, 178" }],
    format: (v) => num(v, 3),
  },
  {
    title: "δ (delta)",
    hint: "Gradient divergence: how far the nodes' gradients are from the global one",
    lines: [{ metric: "delta", label: "delta", rgb: "219, 39, 119" }],
    format: (v) => num(v, 3),
  },
  {
    title: "ρ (rho)",
    hint: "Estimated Lipschitz constant of the loss: how fast the loss changes with the weights",
    lines: [{ metric: "rho", label: "rho", rgb: "202, 138, 4" }],
    format: (v) => num(v, 3),
  },
  {
    title: "Costs c and b",
    hint: "Seconds per local update (c) and per aggregation (b), log scale",
    lines: [
      { metric: "c", label: "c", rgb: "13, 148, 136" },
      { metric: "b", label: "b", rgb: "220, 38, 38" },
    ],
    log: true,
    format: (v) => (v >= 1 ? `${num(v, 2)} s` : `${num(v * 1_000, 2)} ms`),
  },
];

/** Every chart, drawn from the store's current and previous run. */
export class ChartGrid {
  private readonly charts: RoundChart[];

  constructor(container: HTMLElement) {
    this.charts = CHARTS.map((spec) => new RoundChart(spec));
    container.replaceChildren(...this.charts.map((c) => c.element));
  }

  draw(store: PageStore): void {
    for (const chart of this.charts) chart.update(store.run, store.previousRun);
  }
}
