import { describe, expect, it } from "vitest";
import { batchRows } from "./batch-rows.js";

describe("batchRows", () => {
  const batch = {
    x: Float32Array.of(0, 1, 10, 11, 20, 21),
    y: Float64Array.of(-1, 1, 1),
    rows: 3,
    dim: 2,
  };

  it("copies the chosen rows in the given order", () => {
    const b = batchRows(batch, [2, 0]);
    expect(b.rows).toBe(2);
    expect(b.dim).toBe(2);
    expect(Array.from(b.x)).toEqual([20, 21, 0, 1]);
    expect(Array.from(b.y)).toEqual([1, -1]);
    b.x[0] = 99;
    expect(batch.x[4]).toBe(20);
  });

  it("refuses a row that does not exist", () => {
    expect(() => batchRows(batch, [0, 3])).toThrow("Cannot take row 3 of a batch: it has 3 rows");
  });
});
