import { type CsvOptions, parseCsv } from "../core/data/csv.js";
import { CSV_SPLIT_SEED, CSV_TEST_FRACTION, csvTrainTestSplit } from "../core/data/csv-split.js";
import type { DatasetSplit } from "../core/data/dataset.js";
import { readDataFile } from "./read-data-file.js";

/** How to load a user's CSV file (parsing options are those of core/data/csv.ts). */
export interface CsvFileOptions extends Omit<CsvOptions, "name"> {
  /** A separate test file with the same columns; without it, rows are held out from the file. */
  readonly testFile?: string;
  /** Share of rows held out when there is no test file (default 0.2). */
  readonly testFraction?: number;
  /** Seed of that hold-out (default CSV_SPLIT_SEED, fixed so every run holds out the same rows). */
  readonly splitSeed?: number;
}

async function readCsv(file: string, opts: CsvOptions) {
  const text = new TextDecoder().decode(await readDataFile(file, "CSV"));
  return parseCsv(text, file, opts);
}

/**
 * Loads a CSV data set: the file split 80/20 by a fixed seed (both parts in file order), or the
 * file for training and `testFile` for testing. `name` names the data set (default `csv:FILE`).
 */
export async function loadCsvFile(
  file: string,
  opts: CsvFileOptions = {},
  name = `csv:${file}`,
): Promise<DatasetSplit> {
  const { testFile, testFraction = CSV_TEST_FRACTION, splitSeed = CSV_SPLIT_SEED, ...parse } = opts;
  if (testFile === undefined) {
    const { dataset } = await readCsv(file, { ...parse, name });
    return csvTrainTestSplit(dataset, testFraction, splitSeed);
  }
  const [train, test] = await Promise.all([
    readCsv(file, { ...parse, name: `${name} (train)` }),
    readCsv(testFile, { ...parse, name: `${name} (test)` }),
  ]);
  if (train.dataset.dim !== test.dataset.dim) {
    throw new Error(
      `Cannot load data set "${name}": test file "${testFile}" has ${test.dataset.dim} features, "${file}" has ${train.dataset.dim}`,
    );
  }
  const a = train.dataset.classes;
  const b = test.dataset.classes;
  const classes = a !== undefined && b !== undefined ? Math.max(a, b) : undefined;
  const withClasses = <T extends { classes?: number }>(d: T): T => {
    const { classes: _, ...rest } = d;
    return (classes !== undefined ? { ...rest, classes } : rest) as T;
  };
  return { train: withClasses(train.dataset), test: withClasses(test.dataset) };
}
