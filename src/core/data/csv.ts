import type { Dataset } from "./dataset.js";

/** How to read a CSV file of numbers: one sample per line, features and a label. */
export interface CsvOptions {
  /**
   * The label column: a 0-based index (negative counts from the end) or a header name.
   * Default -1, the last column.
   */
  readonly labelColumn?: number | string;
  /** Whether the first line is a header. Default: detected (a first line with a non-number in it). */
  readonly header?: boolean;
  /** Field separator, default ",". */
  readonly delimiter?: string;
  /** The data set's name, default `csv:FILE`. */
  readonly name?: string;
}

export interface CsvTable {
  readonly dataset: Dataset;
  /** The header's column names, when the file has a header. */
  readonly header?: readonly string[];
  /** The index of the label column in the file. */
  readonly labelColumn: number;
}

/** Integer labels up to this many classes are class indices; larger or other labels are values. */
export const MAX_CSV_CLASSES = 1000;

// Plain decimal numbers only: Number() would also take "", "0x1F" and "Infinity".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const unquote = (f: string): string => {
  const t = f.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
};

/**
 * Parses a CSV of numbers into a Dataset (features float32, labels float64). Blank lines are
 * skipped. Labels that are all integers in 0..MAX_CSV_CLASSES-1 make a classification data
 * set with `classes` = largest label + 1; other labels make a regression data set. `file` names the file
 * in errors, which give the line number.
 */
export function parseCsv(text: string, file: string, opts: CsvOptions = {}): CsvTable {
  const fail = (why: string): never => {
    throw new Error(`Cannot read CSV "${file}": ${why}`);
  };
  const delimiter = opts.delimiter ?? ",";
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  // Physical line numbers (1-based) of the non-blank lines.
  const lineNos: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i].trim() !== "") lineNos.push(i);
  if (lineNos.length === 0) fail("the file is empty");

  const first = lines[lineNos[0]].split(delimiter).map(unquote);
  const width = first.length;
  const hasHeader = opts.header ?? first.some((f) => !NUMBER.test(f));
  const header = hasHeader ? first : undefined;
  if (width < 2) {
    fail(
      `line ${lineNos[0] + 1} has ${width} field, expected at least 2 (features and a label; is the delimiter "${delimiter}"?)`,
    );
  }

  let labelColumn: number;
  const lc = opts.labelColumn ?? -1;
  if (typeof lc === "string") {
    if (!header) fail(`label column "${lc}" is named, but the file has no header line`);
    labelColumn = header!.indexOf(lc);
    if (labelColumn < 0) fail(`has no column "${lc}" (columns: ${header!.join(", ")})`);
  } else {
    labelColumn = lc < 0 ? width + lc : lc;
    if (!Number.isInteger(lc) || labelColumn < 0 || labelColumn >= width) {
      fail(`label column ${lc} does not exist: lines have ${width} fields`);
    }
  }

  const dataLines = hasHeader ? lineNos.slice(1) : lineNos;
  if (dataLines.length === 0) fail(`no data rows after the header on line ${lineNos[0] + 1}`);
  const rows = dataLines.length;
  const dim = width - 1;
  const features = new Float32Array(rows * dim);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const lineNo = dataLines[r] + 1;
    const fields = lines[dataLines[r]].split(delimiter);
    if (fields.length !== width) {
      fail(`line ${lineNo} has ${fields.length} fields, expected ${width}`);
    }
    let k = r * dim;
    for (let c = 0; c < width; c++) {
      const f = unquote(fields[c]);
      if (!NUMBER.test(f)) {
        fail(
          f === ""
            ? `line ${lineNo} field ${c + 1} is empty, expected a number`
            : `line ${lineNo} field ${c + 1} is ${JSON.stringify(f)}, not a number`,
        );
      }
      const v = Number(f);
      if (!Number.isFinite(v)) fail(`line ${lineNo} field ${c + 1} is ${f}, out of range`);
      if (c === labelColumn) labels[r] = v;
      else features[k++] = v;
    }
  }

  let classes: number | undefined = 0;
  for (let r = 0; r < rows && classes !== undefined; r++) {
    const l = labels[r];
    classes =
      Number.isInteger(l) && l >= 0 && l < MAX_CSV_CLASSES ? Math.max(classes, l + 1) : undefined;
  }
  const dataset: Dataset = {
    name: opts.name ?? `csv:${file}`,
    rows,
    dim,
    features,
    labels,
    ...(classes !== undefined ? { classes } : {}),
  };
  return header ? { dataset, header, labelColumn } : { dataset, labelColumn };
}
