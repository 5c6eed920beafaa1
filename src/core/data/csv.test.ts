import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";

describe("parseCsv", () => {
  it("reads features and a last-column label, without a header", () => {
    const { dataset, header, labelColumn } = parseCsv("0.5,1,3\n-2,1e-3,0\n", "my.csv");
    expect(header).toBeUndefined();
    expect(labelColumn).toBe(2);
    expect(dataset).toMatchObject({ name: "csv:my.csv", rows: 2, dim: 2, classes: 4 });
    expect(Array.from(dataset.features)).toEqual([0.5, 1, -2, Math.fround(1e-3)]);
    expect(Array.from(dataset.labels)).toEqual([3, 0]);
  });

  it("detects a header, skips blank lines, handles CRLF, quotes and a BOM", () => {
    const text = '\uFEFF"a", "b" ,label\r\n1,2,0\r\n\r\n3,4,1\r\n';
    const { dataset, header } = parseCsv(text, "h.csv");
    expect(header).toEqual(["a", "b", "label"]);
    expect(dataset.rows).toBe(2);
    expect(Array.from(dataset.features)).toEqual([1, 2, 3, 4]);
  });

  it("takes the label from a named or numbered column", () => {
    const text = "y,x1,x2\n1.5,2,3\n-0.5,4,5\n";
    const byName = parseCsv(text, "r.csv", { labelColumn: "y" }).dataset;
    const byIndex = parseCsv(text, "r.csv", { labelColumn: 0 }).dataset;
    for (const d of [byName, byIndex]) {
      expect(Array.from(d.labels)).toEqual([1.5, -0.5]);
      expect(Array.from(d.features)).toEqual([2, 3, 4, 5]);
      expect(d.classes).toBeUndefined(); // fractional labels: a regression data set
    }
  });

  it("accepts another delimiter and a forced header", () => {
    const d = parseCsv("1;2\n3;4\n", "s.csv", { delimiter: ";", header: true }).dataset;
    expect(d.rows).toBe(1);
    expect(Array.from(d.labels)).toEqual([4]);
  });

  it("reports every malformed input with file and line", () => {
    const bad: [string, string][] = [
      ["", "the file is empty"],
      ["\n  \n", "the file is empty"],
      ["a,b,c\n", "no data rows after the header on line 1"],
      ["1,2,3\n4,5\n", "line 2 has 2 fields, expected 3"],
      ["1,2,3\n\n4,5,6,7\n", "line 3 has 4 fields, expected 3"],
      ["1,2,3\n4,x,6\n", 'line 2 field 2 is "x", not a number'],
      ["1,2,3\n4,,6\n", "line 2 field 2 is empty, expected a number"],
      ["1,2,3\n4,0x10,6\n", 'line 2 field 2 is "0x10", not a number'],
      ["1,2,3\n4,Infinity,6\n", 'line 2 field 2 is "Infinity", not a number'],
      [
        "1\n2\n",
        'line 1 has 1 field, expected at least 2 (features and a label; is the delimiter ","?)',
      ],
    ];
    for (const [text, why] of bad) {
      expect(() => parseCsv(text, "my.csv")).toThrow(`Cannot read CSV "my.csv": ${why}`);
    }
    expect(() => parseCsv("1,2\n", "my.csv", { labelColumn: "y" })).toThrow(
      'Cannot read CSV "my.csv": label column "y" is named, but the file has no header line',
    );
    expect(() => parseCsv("a,b\n1,2\n", "my.csv", { labelColumn: "y" })).toThrow(
      'Cannot read CSV "my.csv": has no column "y" (columns: a, b)',
    );
    expect(() => parseCsv("1,2\n", "my.csv", { labelColumn: 5 })).toThrow(
      'Cannot read CSV "my.csv": label column 5 does not exist: lines have 2 fields',
    );
    expect(() => parseCsv("1,2\n", "my.csv", { header: false, labelColumn: -3 })).toThrow(
      "label column -3 does not exist",
    );
    expect(() => parseCsv("a,b\n1,2\n", "my.csv", { header: false })).toThrow(
      'Cannot read CSV "my.csv": line 1 field 1 is "a", not a number',
    );
  });
});
