import { statSync } from "node:fs";
import { parseDatasetSpec } from "../core/data/dataset-spec.js";

/**
 * The data set spec of a node's own data (--data): "csv:FILE" or "idx:DIR" as given, or a bare
 * path, taken as a directory of IDX files when it is a directory and as a CSV file otherwise.
 */
export function ownDataSpec(arg: string): string {
  if (arg === "mnist" || arg.startsWith("csv:") || arg.startsWith("idx:")) {
    parseDatasetSpec(arg);
    return arg;
  }
  let isDir = false;
  try {
    isDir = statSync(arg).isDirectory();
  } catch {
    throw new Error(`Cannot use --data ${JSON.stringify(arg)}: no such file or directory`);
  }
  return isDir ? `idx:${arg}` : `csv:${arg}`;
}
