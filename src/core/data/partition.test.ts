import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { casePartition, type DistributionCase, dirichletPartition } from "./partition.js";
import { Rng } from "./rng.js";

interface GoldenCase {
  nodes: number;
  labels: number[];
  case1: number[][];
  case2: number[][];
  case3: number[][];
  case4: number[][];
}

const golden = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/golden/partition.json", import.meta.url), "utf8"),
) as { cases: GoldenCase[] };

const asLists = (parts: Uint32Array[]): number[][] => parts.map((p) => Array.from(p));

describe("casePartition", () => {
  it("covers 1, 3, 5 and 12 nodes in the golden file", () => {
    expect(golden.cases.map((c) => c.nodes).sort((a, b) => a - b)).toEqual([1, 3, 5, 12]);
  });

  for (const g of golden.cases) {
    for (const k of [1, 2, 3, 4] as DistributionCase[]) {
      it(`matches the golden case ${k} for ${g.nodes} nodes`, () => {
        expect(asLists(casePartition(g.labels, g.nodes, k))).toEqual(g[`case${k}`]);
      });
    }
  }

  it("gives each node one even and one odd digit in case 2 with 5 nodes", () => {
    const labels = Array.from({ length: 100 }, (_, i) => i % 10);
    const parts = casePartition(labels, 5, 2);
    parts.forEach((p, n) => {
      expect(new Set(Array.from(p, (i) => labels[i]))).toEqual(new Set([n, n + 5]));
    });
  });

  it("splits digits as docs/algorithm.md describes in case 4 with 5 nodes", () => {
    const labels = Array.from({ length: 200 }, (_, i) => (i * 7) % 10);
    const classesOf = (p: Uint32Array) =>
      [...new Set(Array.from(p, (i) => labels[i]))].sort((a, b) => a - b);
    const parts = casePartition(labels, 5, 4);
    for (const n of [0, 1, 2]) expect(classesOf(parts[n])).toEqual([0, 1, 2, 3, 4]);
    expect(classesOf(parts[3])).toEqual([6, 8]);
    expect(classesOf(parts[4])).toEqual([5, 7, 9]);
  });

  it("puts every sample exactly once in cases 1, 2 and 4, and everywhere in case 3", () => {
    const rng = new Rng(7);
    const labels = Array.from({ length: 500 }, () => rng.int(10));
    for (const nodes of [1, 2, 7, 10, 13, 25]) {
      for (const k of [1, 2, 4] as DistributionCase[]) {
        const all = casePartition(labels, nodes, k).flatMap((p) => Array.from(p));
        expect(all.sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
      }
      for (const p of casePartition(labels, nodes, 3)) expect(p.length).toBe(labels.length);
    }
  });

  it("rejects bad node counts, unknown cases and non-integer labels in cases 2 and 4", () => {
    expect(() => casePartition([0, 1], 0, 1)).toThrow(
      "Cannot partition data over 0 nodes: expected a positive integer",
    );
    expect(() => casePartition([0, 1], 2, 5 as DistributionCase)).toThrow(
      "Unknown data distribution case 5: expected 1, 2, 3 or 4",
    );
    expect(() => casePartition([0, 2.5], 2, 2)).toThrow(
      "Case 2 partition needs integer class labels, but sample 1 has label 2.5",
    );
    expect(asLists(casePartition([0.5, 2.5], 2, 1))).toEqual([[0], [1]]);
  });
});

describe("dirichletPartition", () => {
  const rng = new Rng(1);
  const labels = Array.from({ length: 5000 }, () => rng.int(10));

  const histograms = (parts: Uint32Array[]) =>
    parts.map((p) => {
      const h = new Array<number>(10).fill(0);
      for (const i of p) h[labels[i]]++;
      return h;
    });

  it("is deterministic by seed and differs between seeds", () => {
    const a = asLists(dirichletPartition(labels, 5, 0.5, new Rng(42)));
    const b = asLists(dirichletPartition(labels, 5, 0.5, new Rng(42)));
    const c = asLists(dirichletPartition(labels, 5, 0.5, new Rng(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("places every sample exactly once, each node's indices ascending", () => {
    for (const alpha of [0.01, 1, 100]) {
      const parts = dirichletPartition(labels, 8, alpha, new Rng(3));
      const all = parts.flatMap((p) => Array.from(p));
      expect(all.sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
      for (const p of parts) expect(Array.from(p)).toEqual(Array.from(p).sort((a, b) => a - b));
    }
  });

  it("gives skewed label histograms for small alpha and near-uniform ones for large alpha", () => {
    // Share of a node's samples in its most common class, averaged over nodes.
    const dominance = (alpha: number) => {
      const hs = histograms(dirichletPartition(labels, 5, alpha, new Rng(11)));
      const shares = hs.map((h) => Math.max(...h) / h.reduce((s, v) => s + v, 0));
      return shares.reduce((s, v) => s + v, 0) / shares.length;
    };
    expect(dominance(0.05)).toBeGreaterThan(0.5);
    expect(dominance(1000)).toBeLessThan(0.13);
    for (const h of histograms(dirichletPartition(labels, 5, 1000, new Rng(11)))) {
      const total = h.reduce((s, v) => s + v, 0);
      for (const v of h) expect(Math.abs(v / total - 0.1)).toBeLessThan(0.03);
    }
  });

  it("gives every node at least one sample when there are enough samples", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const parts = dirichletPartition([0, 0, 0, 1, 1, 1, 2, 2], 8, 0.001, new Rng(seed));
      for (const p of parts) expect(p.length).toBe(1);
    }
    const few = dirichletPartition([0, 1], 4, 0.1, new Rng(1));
    expect(few.reduce((s, p) => s + p.length, 0)).toBe(2);
  });

  it("rejects a bad alpha and non-integer labels", () => {
    expect(() => dirichletPartition([0, 1], 2, 0, new Rng(1))).toThrow(
      "Dirichlet partition needs a positive finite alpha, got 0",
    );
    expect(() => dirichletPartition([0, 1.5], 2, 1, new Rng(1))).toThrow(
      "Dirichlet partition needs integer class labels, but sample 1 has label 1.5",
    );
  });
});
