/** A cell value: numbers are written in full (shortest round-trip form), null as an empty cell. */
export type Cell = string | number | boolean | null | undefined;

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => Cell;
}

/** An RFC 4180 CSV text (LF line ends, trailing newline) of `rows` under `columns`. */
export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(","));
  return `${lines.join("\n")}\n`;
}

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
