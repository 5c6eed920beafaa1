import { isAbsolute, resolve } from "node:path";
import type { DatasetSplit } from "../core/data/dataset.js";
import { parseDatasetSpec } from "../core/data/dataset-spec.js";
import { type CsvFileOptions, loadCsvFile } from "./csv-file.js";
import { type EmbeddedMnistOptions, loadEmbeddedMnist } from "./embedded-mnist.js";
import { loadIdxDirectory } from "./idx-directory.js";

export interface LoadDatasetOptions {
  /** Base of relative paths in `idx:DIR` and `csv:FILE` (default: the current directory). */
  readonly cwd?: string;
  readonly mnist?: EmbeddedMnistOptions;
  readonly csv?: CsvFileOptions;
}

/**
 * Loads a data set by spec: "mnist" (the embedded 10,000 digits, 8,000 / 2,000), "idx:DIR" (a
 * directory of IDX files) or "csv:FILE" (a CSV of numbers, label last, 80/20 split or
 * opts.csv.testFile). The data sets are named by the spec; errors name the spec and the path.
 */
export async function loadDataset(
  spec: string,
  opts: LoadDatasetOptions = {},
): Promise<DatasetSplit> {
  const parsed = parseDatasetSpec(spec);
  const cwd = opts.cwd ?? process.cwd();
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  switch (parsed.kind) {
    case "mnist":
      return loadEmbeddedMnist(opts.mnist);
    case "idx":
      return loadIdxDirectory(at(parsed.dir), spec);
    case "csv": {
      const csv = opts.csv ?? {};
      const testFile = csv.testFile === undefined ? undefined : at(csv.testFile);
      return loadCsvFile(at(parsed.file), { ...csv, ...(testFile ? { testFile } : {}) }, spec);
    }
  }
}
