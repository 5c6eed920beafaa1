import { CASE_NAMES } from "./case-setting.js";
import type { Column } from "./csv-table.js";
import type { RoundRecord, RunRecord } from "./run-record.js";
import { formatTauMode } from "./tau-modes.js";

/** The columns of results.csv (results.json rows use the same names). */
export const RUN_COLUMNS: readonly Column<RunRecord>[] = [
  { header: "model", value: (r) => r.model },
  { header: "case", value: (r) => r.case },
  { header: "case_name", value: (r) => CASE_NAMES[r.case] },
  { header: "minibatches", value: (r) => r.minibatches },
  { header: "tau_setting", value: (r) => formatTauMode(r.tauMode) },
  { header: "final_loss", value: (r) => r.finalLoss },
  { header: "test_accuracy", value: (r) => r.testAccuracy },
  { header: "test_loss", value: (r) => r.testLoss },
  { header: "mean_tau", value: (r) => r.meanTau },
  { header: "rounds", value: (r) => r.rounds },
  { header: "iterations", value: (r) => r.iterations },
  { header: "beta", value: (r) => r.beta },
  { header: "delta", value: (r) => r.delta },
  { header: "rho", value: (r) => r.rho },
  { header: "time_budget", value: (r) => r.budget.time ?? null },
  { header: "time_spent", value: (r) => r.spent.time ?? null },
  { header: "bytes_budget", value: (r) => r.budget.bytes ?? null },
  { header: "bytes_spent", value: (r) => r.spent.bytes ?? null },
  { header: "binding", value: (r) => r.binding },
];

/** The columns of rounds.csv. */
export const ROUND_COLUMNS: readonly Column<RoundRecord>[] = [
  { header: "model", value: (r) => r.model },
  { header: "case", value: (r) => r.case },
  { header: "minibatches", value: (r) => r.minibatches },
  { header: "tau_setting", value: (r) => formatTauMode(r.tauMode) },
  { header: "round", value: (r) => r.round },
  { header: "kind", value: (r) => r.kind },
  { header: "tau", value: (r) => r.tau },
  { header: "tau_done", value: (r) => r.tauDone },
  { header: "loss", value: (r) => r.loss },
  { header: "test_loss", value: (r) => r.testLoss },
  { header: "test_accuracy", value: (r) => r.testAccuracy },
  { header: "beta", value: (r) => r.beta },
  { header: "rho", value: (r) => r.rho },
  { header: "delta", value: (r) => r.delta },
  { header: "c", value: (r) => r.c },
  { header: "b", value: (r) => r.b },
  { header: "time_spent", value: (r) => r.timeSpent },
  { header: "bytes_spent", value: (r) => r.bytesSpent },
  { header: "nodes_reported", value: (r) => r.nodesReported },
];
