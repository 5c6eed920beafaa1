import { describe, expect, it } from "vitest";
import type { Dataset } from "./dataset.js";
import { isTaskKind, type TaskKind, taskClasses, taskTargets, toBatch } from "./task.js";

const ds: Dataset = {
  name: "tiny",
  rows: 4,
  dim: 2,
  features: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
  labels: Float64Array.from([0, 7, 4, 9]),
  classes: 10,
};

describe("tasks", () => {
  it("maps labels to +1 even / -1 odd, class indices, or values", () => {
    expect(Array.from(taskTargets(ds, "even-odd"))).toEqual([1, -1, 1, -1]);
    expect(Array.from(taskTargets(ds, "digits"))).toEqual([0, 7, 4, 9]);
    expect(Array.from(taskTargets(ds, "value"))).toEqual([0, 7, 4, 9]);
    expect([taskClasses("even-odd"), taskClasses("digits"), taskClasses("value")]).toEqual([
      2,
      10,
      undefined,
    ]);
    expect(isTaskKind("digits")).toBe(true);
    expect(isTaskKind("odd-even")).toBe(false);
  });

  it("makes a Batch of all rows (sharing features) or of chosen rows (copied)", () => {
    const all = toBatch(ds, "even-odd");
    expect(all).toMatchObject({ rows: 4, dim: 2 });
    expect(all.x).toBe(ds.features);
    const some = toBatch(ds, "digits", [3, 1]);
    expect(some.rows).toBe(2);
    expect(Array.from(some.x)).toEqual([6, 7, 2, 3]);
    expect(Array.from(some.y)).toEqual([9, 7]);
  });

  it("rejects labels out of range for the task, naming the data set and row", () => {
    const withLabels = (labels: number[]): Dataset => ({
      ...ds,
      labels: Float64Array.from(labels),
    });
    const cases: [number[], TaskKind, string][] = [
      [
        [0, 12, 1, 1],
        "digits",
        'Cannot use data set "tiny" for task "digits": row 1 has label 12, expected a class 0..9',
      ],
      [[0, 1, 2.5, 1], "digits", "row 2 has label 2.5, expected a class 0..9"],
      [[0, 1, 2, -1], "digits", "row 3 has label -1, expected a class 0..9"],
      [
        [0, 1.5, 2, 3],
        "even-odd",
        'for task "even-odd": row 1 has label 1.5, expected a non-negative integer class',
      ],
      [
        [0, 1, Number.NaN, 3],
        "value",
        'for task "value": row 2 has label NaN, expected a finite number',
      ],
    ];
    for (const [labels, task, message] of cases) {
      expect(() => taskTargets(withLabels(labels), task)).toThrow(message);
    }
    expect(() => toBatch(ds, "digits", [4])).toThrow(
      'Cannot select row 4 of "tiny": it has 4 rows',
    );
    expect(() => taskTargets(ds, "nope" as TaskKind)).toThrow('Unknown task "nope"');
  });
});
