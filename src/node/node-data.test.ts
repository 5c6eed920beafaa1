import { describe, expect, it } from "vitest";
import { assignedRows, type DataAssignment } from "../core/data/assignment.js";
import type { DistributionCase } from "../core/data/partition.js";
import { dataPreview } from "./data-preview.js";
import { NodeDataLoader } from "./node-data.js";
import { tinyDigits } from "./test-support/tiny-digits.js";

const split = tinyDigits(200);
const part = (nodeIndex: number, kase: DistributionCase = 1, nodeCount = 4): DataAssignment => ({
  dataset: "csv:tiny.csv",
  task: "even-odd",
  partition: { kind: "case", case: kase },
  nodeIndex,
  nodeCount,
});

function loader(own?: string) {
  const loads: string[] = [];
  const l = new NodeDataLoader(async (spec) => {
    loads.push(spec);
    return spec === "csv:own.csv" ? tinyDigits(30, 2, "own") : split;
  }, own);
  return { l, loads };
}

describe("NodeDataLoader", () => {
  it("computes the node's part from the assignment, with targets and label histogram", async () => {
    const { l } = loader();
    const { data, reloaded } = await l.forAssignment(part(2));
    const rows = assignedRows(split.train.labels, part(2));
    expect(reloaded).toBe(true);
    expect(data.rows).toEqual(rows);
    expect(data.batch.rows).toBe(rows.length);
    expect(data.batch.dim).toBe(16);
    expect(Array.from(data.batch.y).every((y) => y === 1 || y === -1)).toBe(true);
    expect(data.labelHistogram.reduce((a, b) => a + b, 0)).toBe(rows.length);
    for (let k = 0; k < rows.length; k++) {
      expect(data.batch.y[k]).toBe(split.train.labels[rows[k]] % 2 === 0 ? 1 : -1);
    }
    expect(data.description).toBe('part 3/4 of "csv:tiny.csv" (case 1)');
  });

  it("loads a data set once and keeps the node data of an unchanged assignment", async () => {
    const { l, loads } = loader();
    const a = await l.forAssignment(part(1));
    const b = await l.forAssignment(part(1));
    expect(b.reloaded).toBe(false);
    expect(b.data).toBe(a.data);
    const c = await l.forAssignment(part(0, 2));
    expect(c.reloaded).toBe(true);
    expect(loads).toEqual(["csv:tiny.csv"]);
  });

  it("uses the node's own data instead of the assignment, all its training rows", async () => {
    const { l, loads } = loader("csv:own.csv");
    const { data } = await l.forAssignment(part(3));
    expect(loads).toEqual(["csv:own.csv"]);
    expect(data.rows).toBeUndefined();
    expect(data.batch.rows).toBe(30);
    expect(data.description).toBe('own data "csv:own.csv"');
  });

  it("says when the assignment leaves the node without samples", async () => {
    const { l } = loader();
    const many = { ...part(0, 2, 150) };
    const empty = Array.from({ length: 150 }, (_, i) => i).find(
      (i) => assignedRows(split.train.labels, { ...many, nodeIndex: i }).length === 0,
    );
    expect(empty).toBeDefined();
    await expect(l.forAssignment({ ...many, nodeIndex: empty! })).rejects.toThrow(
      `part ${empty! + 1}/150 of "csv:tiny.csv" (case 2) has no samples`,
    );
  });

  it("tries a failed load again next time", async () => {
    let fail = true;
    const l = new NodeDataLoader(async () => {
      if (fail) throw new Error("disk on fire");
      return split;
    });
    await expect(l.forAssignment(part(0))).rejects.toThrow("disk on fire");
    fail = false;
    expect((await l.forAssignment(part(0))).data.batch.rows).toBeGreaterThan(0);
  });
});

describe("dataPreview", () => {
  it("gives the node's first samples as grey images with their labels", async () => {
    const { l } = loader();
    const { data } = await l.forAssignment(part(1));
    const p = dataPreview(data, 3)!;
    expect(p).toMatchObject({ height: 4, width: 4 });
    expect(p.labels).toEqual([0, 1, 2].map((k) => split.train.labels[data.rows![k]]));
    const first = data.rows![0];
    expect(p.pixels[5]).toBe(Math.round(split.train.features[first * 16 + 5] * 255));
  });

  it("gives none for data that are not labelled images", async () => {
    const { l } = loader();
    const { data } = await l.forAssignment(part(1));
    expect(
      dataPreview({ ...data, dataset: { ...data.dataset, imageShape: undefined } }),
    ).toBeUndefined();
  });
});
