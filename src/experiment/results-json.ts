import { budgetTable } from "../core/federation/budget.js";
import type { ExperimentSettings } from "./experiment-options.js";
import { RUN_COLUMNS } from "./result-tables.js";
import type { RunRecord } from "./run-record.js";
import { formatTauMode } from "./tau-modes.js";

/**
 * results.json: the settings and one object per run, keyed by the results.csv column names.
 * Non-finite numbers become null (JSON has no NaN). No timestamp: equal settings give equal files.
 */
export function renderResultsJson(
  settings: ExperimentSettings,
  runs: readonly RunRecord[],
): string {
  const rows = runs.map((run) => {
    const o: Record<string, unknown> = {};
    for (const c of RUN_COLUMNS) o[c.header] = jsonValue(c.value(run));
    return o;
  });
  const doc = { settings: settingsJson(settings), runs: rows };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The settings as plain JSON (tau settings as in files: "adaptive" or a number; no SGD = null). */
export function settingsJson(s: ExperimentSettings): Record<string, unknown> {
  return {
    models: s.models,
    dataset: s.dataset,
    task: s.task,
    nodes: s.nodes,
    cases: s.cases,
    taus: s.taus.map((t) => (t === "adaptive" ? formatTauMode(t) : t)),
    budget: budgetTable(s.budget),
    cost: s.cost,
    costsFrom: s.costsFrom,
    localCostScale: s.localCostScale,
    globalCostScale: s.globalCostScale,
    sgd: s.sgd ?? null,
    minibatches: s.minibatches,
    eta: s.eta,
    phi: s.phi,
    seed: s.seed,
  };
}

function jsonValue(v: unknown): unknown {
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v ?? null;
}
