import { describe, expect, it } from "vitest";
import { assignedRows, type DataAssignment, validateAssignment } from "./assignment.js";
import { casePartition, dirichletPartition } from "./partition.js";
import { Rng } from "./rng.js";

const rng = new Rng(9);
const labels = Float64Array.from({ length: 300 }, () => rng.int(10));
const base: DataAssignment = {
  dataset: "mnist",
  task: "even-odd",
  partition: { kind: "case", case: 2 },
  nodeIndex: 1,
  nodeCount: 5,
};

describe("assignedRows", () => {
  it("gives a node its part of the case partition", () => {
    for (const c of [1, 2, 3, 4] as const) {
      for (let nodeIndex = 0; nodeIndex < 5; nodeIndex++) {
        const rows = assignedRows(labels, {
          ...base,
          partition: { kind: "case", case: c },
          nodeIndex,
        });
        expect(Array.from(rows)).toEqual(Array.from(casePartition(labels, 5, c)[nodeIndex]));
      }
    }
  });

  it("gives a node its part of the seeded Dirichlet partition, the same on every call", () => {
    const a: DataAssignment = {
      ...base,
      partition: { kind: "dirichlet", alpha: 0.3, seed: 17 },
      nodeIndex: 3,
    };
    const expected = dirichletPartition(labels, 5, 0.3, new Rng(17))[3];
    expect(Array.from(assignedRows(labels, a))).toEqual(Array.from(expected));
    expect(Array.from(assignedRows(labels, a))).toEqual(Array.from(expected));
  });

  it("shares out every row exactly once across the nodes", () => {
    const all: number[] = [];
    for (let nodeIndex = 0; nodeIndex < 5; nodeIndex++) {
      all.push(
        ...assignedRows(labels, {
          ...base,
          partition: { kind: "dirichlet", alpha: 1, seed: 2 },
          nodeIndex,
        }),
      );
    }
    expect(all.sort((x, y) => x - y)).toEqual(Array.from(labels, (_, i) => i));
  });
});

describe("validateAssignment", () => {
  it("accepts a valid assignment as it is", () => {
    expect(validateAssignment(base)).toBe(base);
    const d = {
      ...base,
      dataset: "csv:my.csv",
      task: "value",
      partition: { kind: "dirichlet", alpha: 5, seed: 0 },
    };
    expect(validateAssignment(d)).toBe(d);
  });

  it("rejects each bad field with exact wording", () => {
    const bad: [unknown, string][] = [
      [null, "expected an object, got null"],
      ["x", "expected an object, got string"],
      [
        { ...base, dataset: 3 },
        'dataset must be a data set spec ("mnist", "idx:DIR" or "csv:FILE"), got 3',
      ],
      [
        { ...base, dataset: "cifar" },
        'dataset must be a data set spec ("mnist", "idx:DIR" or "csv:FILE"), got "cifar"',
      ],
      [{ ...base, task: "odd" }, 'task must be one of "even-odd", "digits", "value"; got "odd"'],
      [{ ...base, nodeCount: 0 }, "nodeCount must be a positive integer, got 0"],
      [{ ...base, nodeCount: 2.5 }, "nodeCount must be a positive integer, got 2.5"],
      [{ ...base, nodeIndex: 5 }, "nodeIndex must be an integer in 0..4 (nodeCount 5), got 5"],
      [{ ...base, nodeIndex: -1 }, "nodeIndex must be an integer in 0..4 (nodeCount 5), got -1"],
      [{ ...base, nodeIndex: "1" }, 'nodeIndex must be an integer in 0..4 (nodeCount 5), got "1"'],
      [{ ...base, partition: undefined }, "partition must be an object, got undefined"],
      [
        { ...base, partition: { kind: "random" } },
        'partition.kind must be "case" or "dirichlet", got "random"',
      ],
      [
        { ...base, partition: { kind: "case", case: 5 } },
        "partition.case must be 1, 2, 3 or 4, got 5",
      ],
      [
        { ...base, partition: { kind: "case", case: "1" } },
        'partition.case must be 1, 2, 3 or 4, got "1"',
      ],
      [
        { ...base, partition: { kind: "dirichlet", alpha: 0, seed: 1 } },
        "partition.alpha must be a positive finite number, got 0",
      ],
      [
        { ...base, partition: { kind: "dirichlet", alpha: 1, seed: -1 } },
        "partition.seed must be an integer in 0..4294967295, got -1",
      ],
    ];
    for (const [value, why] of bad) {
      expect(() => validateAssignment(value)).toThrow(`Invalid data assignment: ${why}`);
    }
    expect(() => assignedRows(labels, { ...base, nodeIndex: 9 })).toThrow(
      "Invalid data assignment: nodeIndex must be an integer in 0..4 (nodeCount 5), got 9",
    );
  });
});
