import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import { csvTrainTestSplit } from "./csv-split.js";

const text = Array.from({ length: 50 }, (_, i) => `${i},${i % 3}`).join("\n");
const ds = parseCsv(text, "d.csv").dataset;

describe("csvTrainTestSplit", () => {
  it("holds out 20% of the rows, the same ones every time, both parts in file order", () => {
    const a = csvTrainTestSplit(ds);
    const b = csvTrainTestSplit(ds);
    expect(a.train.rows).toBe(40);
    expect(a.test.rows).toBe(10);
    expect(Array.from(a.test.features)).toEqual(Array.from(b.test.features));
    const train = Array.from(a.train.features);
    const test = Array.from(a.test.features);
    expect(train).toEqual([...train].sort((x, y) => x - y));
    expect([...train, ...test].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(a.train.name).toBe("csv:d.csv (train)");
  });

  it("depends on the seed and keeps at least one row on each side", () => {
    const other = csvTrainTestSplit(ds, 0.2, 99);
    expect(Array.from(other.test.features)).not.toEqual(
      Array.from(csvTrainTestSplit(ds).test.features),
    );
    const tiny = parseCsv("1,0\n2,1\n", "t.csv").dataset;
    expect(csvTrainTestSplit(tiny, 0.2).test.rows).toBe(1);
    expect(csvTrainTestSplit(tiny, 0.9).train.rows).toBe(1);
    expect(csvTrainTestSplit(tiny, 0).test.rows).toBe(0);
    expect(() => csvTrainTestSplit(tiny, 1)).toThrow(
      'Cannot split "csv:t.csv": test fraction 1 is not in [0, 1)',
    );
  });
});
