import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { toCsv } from "./csv-table.js";
import type { ExperimentSettings } from "./experiment-options.js";
import { renderReport } from "./report-html.js";
import { ROUND_COLUMNS, RUN_COLUMNS } from "./result-tables.js";
import { renderResultsJson } from "./results-json.js";
import type { RoundRecord, RunRecord } from "./run-record.js";

export const RESULT_FILES = ["results.csv", "results.json", "rounds.csv", "report.html"] as const;

export interface ExperimentOutput {
  readonly settings: ExperimentSettings;
  readonly runs: readonly RunRecord[];
  readonly rounds: readonly RoundRecord[];
}

/** The four result files as text, by name. */
export function renderExperimentFiles(
  out: ExperimentOutput,
  generatedAt: string,
): Record<(typeof RESULT_FILES)[number], string> {
  return {
    "results.csv": toCsv(RUN_COLUMNS, out.runs),
    "results.json": renderResultsJson(out.settings, out.runs),
    "rounds.csv": toCsv(ROUND_COLUMNS, out.rounds),
    "report.html": renderReport({ ...out, generatedAt }),
  };
}

/** Writes the four result files into `dir` (created if missing); returns their paths. */
export async function writeExperimentFiles(
  dir: string,
  out: ExperimentOutput,
  generatedAt: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = renderExperimentFiles(out, generatedAt);
  const paths: string[] = [];
  for (const name of RESULT_FILES) {
    const path = join(dir, name);
    await writeFile(path, files[name], "utf8");
    paths.push(path);
  }
  return paths;
}
