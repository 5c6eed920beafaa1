import { budgetTable, formatAmount, formatBudget } from "../core/federation/budget.js";
import { caseLabel, REPLICATED_CASE } from "./case-setting.js";
import { type CaseSummary, summariseCases } from "./case-summary.js";
import type { ExperimentSettings } from "./experiment-options.js";
import { planExperiment } from "./experiment-plan.js";
import type { RoundRecord, RunRecord } from "./run-record.js";
import { type ChartSeries, escapeXml, type Point, renderLineChart } from "./svg-chart.js";
import { formatTauMode } from "./tau-modes.js";

export interface ReportInput {
  readonly settings: ExperimentSettings;
  readonly runs: readonly RunRecord[];
  readonly rounds: readonly RoundRecord[];
  /** When the page was made (ISO 8601): the only part that differs between equal experiments. */
  readonly generatedAt: string;
}

const FIXED_COLOR = "#1f77b4";

/** Under the replicated case with shared streams: why its fixed-tau runs hardly differ. */
const SHARED_REPLICAS_NOTE =
  "With shared minibatch streams every node draws the same minibatches from the same data, so " +
  "the nodes stay identical (delta = 0) and every fixed tau follows one trajectory: the " +
  "differences between these runs are one roll of minibatch noise. The runs with independent " +
  "minibatches show the comparison without it.";
const ADAPTIVE_COLOR = "#d62728";

/**
 * report.html: a self-contained page (inline CSS and SVG, no script, no network) with, per model
 * and case, final loss and test accuracy against fixed tau on a log axis with the adaptive run
 * marked (the shape of Fig. 4 of Wang et al.), tau over time in the adaptive run, and the runs
 * as a table.
 */
export function renderReport(input: ReportInput): string {
  const { settings, runs, rounds } = input;
  const summaries = summariseCases(runs);
  const resources = Object.keys(budgetTable(settings.budget));
  const sections = summaries.map((s) => caseSection(s, runs, rounds, resources));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fedtau experiment</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1320px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; }
td.l, th.l { text-align: left; }
tr.adaptive td { background: #fdecea; font-weight: 600; }
tr.best td { background: #eaf2fb; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { background: #fff; border: 1px solid #eee; }
.chart text { font-size: 11px; fill: #333; }
.chart .chart-title { font-size: 13px; font-weight: 600; }
.chart .axis-label { font-size: 12px; }
.chart .grid { stroke: #eee; }
.chart .frame { fill: none; stroke: #999; }
.muted { color: #666; }
</style>
</head>
<body>
<h1>fedtau experiment</h1>
<p class="muted">Generated at ${escapeXml(input.generatedAt)}. Adaptive tau against fixed tau under the same budget and seed (Wang et al., IEEE JSAC 2019, Fig. 4).</p>
${settingsTable(settings)}
<h2>Summary</h2>
${summaryTable(summaries)}
${sections.join("\n")}
</body>
</html>
`;
}

function settingsTable(s: ExperimentSettings): string {
  const rows: [string, string][] = [
    ["models", s.models.join(", ")],
    ["dataset", s.dataset],
    ["task", s.task],
    ["nodes", String(s.nodes)],
    ["cases", plannedCases(s).join(", ")],
    ["tau settings", s.taus.map(formatTauMode).join(", ")],
    ["budget", formatBudget(s.budget)],
    ["cost", s.costsFrom === null ? s.cost : `${s.cost}, drawn from ${s.costsFrom}`],
    ["local cost scale", String(s.localCostScale)],
    ["global cost scale", String(s.globalCostScale)],
    [
      "gradient",
      s.sgd === undefined
        ? "full-batch descent"
        : `SGD, minibatch ${s.sgd}, ${s.minibatches} minibatch streams`,
    ],
    ["eta", String(s.eta)],
    ["phi", String(s.phi)],
    ["seed", String(s.seed)],
  ];
  const body = rows
    .map(([k, v]) => `<tr><th class="l">${k}</th><td class="l">${escapeXml(v)}</td></tr>`)
    .join("");
  return `<table class="settings">${body}</table>`;
}

/** The cases as the plan runs them (the replicated case may come with both kinds of streams). */
function plannedCases(s: ExperimentSettings): string[] {
  const labels = planExperiment(s).map((g) => caseLabel(g.case, g.minibatches));
  return [...new Set(labels)];
}

function summaryTable(summaries: readonly CaseSummary[]): string {
  const head =
    "<tr><th class=l>model</th><th class=l>case</th><th>adaptive loss</th><th>best fixed tau</th><th>best fixed loss</th><th>adaptive / best</th><th>tau=1 loss</th><th>adaptive / tau=1</th><th>adaptive mean tau</th><th>adaptive accuracy</th></tr>";
  const body = summaries
    .map(
      (s) =>
        `<tr><td class=l>${escapeXml(s.model)}</td><td class=l>${caseLabel(s.case, s.minibatches)}</td>` +
        `<td>${num(s.adaptive?.finalLoss)}</td><td>${s.bestFixed ? formatTauMode(s.bestFixed.tauMode) : ""}</td>` +
        `<td>${num(s.bestFixed?.finalLoss)}</td><td>${num(s.ratioToBest, 4)}</td>` +
        `<td>${num(s.tauOne?.finalLoss)}</td><td>${num(s.ratioToTauOne, 4)}</td>` +
        `<td>${num(s.adaptive?.meanTau, 3)}</td><td>${num(s.adaptive?.testAccuracy ?? undefined, 4)}</td></tr>`,
    )
    .join("");
  return `<table>${head}${body}</table>`;
}

function caseSection(
  s: CaseSummary,
  runs: readonly RunRecord[],
  rounds: readonly RoundRecord[],
  resources: readonly string[],
): string {
  const ofCase = (r: RunRecord | RoundRecord) =>
    r.model === s.model && r.case === s.case && r.minibatches === s.minibatches;
  const mine = runs.filter(ofCase);
  const fixed = mine
    .filter((r) => r.tauMode !== "adaptive")
    .sort((a, b) => (a.tauMode as number) - (b.tauMode as number));
  const adaptive = s.adaptive;
  const vsTau = (label: string, value: (r: RunRecord) => number): string => {
    const series: ChartSeries[] = [
      {
        name: "fixed tau",
        color: FIXED_COLOR,
        kind: "line",
        points: fixed.map((r): Point => [r.tauMode as number, value(r)]),
      },
    ];
    if (adaptive) {
      series.push({
        name: `adaptive (mean tau ${num(adaptive.meanTau, 3)})`,
        color: ADAPTIVE_COLOR,
        kind: "hline",
        points: [[adaptive.meanTau, value(adaptive)]],
      });
    }
    return renderLineChart({
      title: `${label} vs tau`,
      xLabel: "tau (log scale; adaptive at its mean tau)",
      yLabel: label,
      xLog: true,
      series,
    });
  };
  const charts = [
    vsTau("final loss", (r) => r.finalLoss),
    vsTau("test accuracy", (r) => r.testAccuracy ?? Number.NaN),
  ];
  if (adaptive) {
    const adaptiveRounds = rounds.filter((r) => ofCase(r) && r.tauMode === "adaptive");
    const points: Point[] = [];
    let start = 0;
    for (const r of adaptiveRounds) {
      points.push([start, r.tauDone]);
      start = r.timeSpent;
    }
    if (points.length > 0) points.push([start, points[points.length - 1][1]]);
    charts.push(
      renderLineChart({
        title: "tau over time, adaptive run",
        xLabel: "budget spent at round start (s)",
        yLabel: "tau",
        series: [{ name: "tau", color: ADAPTIVE_COLOR, kind: "step", points }],
      }),
    );
  }
  const note =
    s.case === REPLICATED_CASE && s.minibatches === "shared"
      ? `<p class="muted">${SHARED_REPLICAS_NOTE}</p>\n`
      : "";
  return `<h2>${escapeXml(s.model)}, case ${escapeXml(caseLabel(s.case, s.minibatches))}</h2>
${note}<div class="charts">${charts.join("\n")}</div>
${runTable(mine, s, resources)}`;
}

/** The runs of a case; per budgeted resource what each spent, and which ended it when several. */
function runTable(
  runs: readonly RunRecord[],
  s: CaseSummary,
  resources: readonly string[],
): string {
  const several = resources.length > 1;
  const head =
    "<tr><th class=l>tau</th><th>final loss</th><th>test accuracy</th><th>mean tau</th><th>rounds</th><th>iterations</th><th>beta</th><th>delta</th><th>rho</th>" +
    resources.map((name) => `<th>${escapeXml(name)} spent</th>`).join("") +
    (several ? "<th class=l>ended by</th>" : "") +
    "</tr>";
  const spent = (r: RunRecord, name: string) => {
    const v = r.spent[name];
    return v === undefined || !Number.isFinite(v) ? "" : formatAmount(name, v);
  };
  const body = runs
    .map((r) => {
      const cls = r === s.adaptive ? "adaptive" : r === s.bestFixed ? "best" : "";
      return (
        `<tr class="${cls}"><td class=l>${formatTauMode(r.tauMode)}</td><td>${num(r.finalLoss)}</td>` +
        `<td>${num(r.testAccuracy ?? undefined, 4)}</td><td>${num(r.meanTau, 3)}</td><td>${r.rounds}</td>` +
        `<td>${r.iterations}</td><td>${num(r.beta, 4)}</td><td>${num(r.delta, 4)}</td><td>${num(r.rho, 4)}</td>` +
        resources.map((name) => `<td>${spent(r, name)}</td>`).join("") +
        (several ? `<td class=l>${escapeXml(r.binding ?? "")}</td>` : "") +
        "</tr>"
      );
    })
    .join("");
  return `<table>${head}${body}</table>`;
}

function num(v: number | undefined, digits = 6): string {
  if (v === undefined) return "";
  if (!Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(digits)).toString();
}
