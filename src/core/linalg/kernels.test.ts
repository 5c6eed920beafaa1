/**
 * One conformance suite for every kernels backend: each is checked against the reference on
 * awkward shapes and slack patterns.
 *
 * Tolerance: a backend may accumulate in float32 (unit roundoff u = 2^-24, about 6e-8), and
 * rounds w, y, r, W and G to float32 on the way in. Rounding errors of a sum of n terms of mixed
 * sign grow like sqrt(n) u in practice (n u in the worst case); with n up to about 1,000 here that
 * is about 2e-6 of the result's norm. We ask for 1e-5 of the norm of the reference result (for
 * sums, of the value): five times that margin, while an indexing, padding or masking bug gives
 * errors of order 1. Inputs are finite (a backend may skip all-zero columns, where the reference
 * would turn 0 * Infinity into NaN).
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import type { KernelMatrix, Kernels } from "./kernels.js";
import { referenceKernels } from "./reference-kernels.js";
import { chooseBackend, getKernels, loadKernels } from "./select-kernels.js";
import { compileKernelModuleSync } from "./wasm/kernel-module.js";
import { wasmSimdSupported } from "./wasm/simd-support.js";
import { createWasmKernels, isWasmKernels } from "./wasm-kernels.js";

const REL_TOL = 1e-5;
const simd = wasmSimdSupported();
const underCi = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
  ?.env?.CI;

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Passes when |a - b| <= REL_TOL |b| (exactly equal when b is zero). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, `${what}: length`).toBe(b.length);
  const diff = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) diff[i] = a[i] - b[i];
  const err = norm(diff);
  const scale = norm(b);
  expect(Number.isFinite(err), `${what}: finite`).toBe(true);
  expect(err, `${what}: |a - b| = ${err} against |b| = ${scale}`).toBeLessThanOrEqual(
    REL_TOL * scale,
  );
}

type Slack = "mixed" | "none" | "all";

interface Case {
  rows: number;
  cols: number;
  slack: Slack;
  /** Share of non-zero features. */
  density: number;
  label: string;
}

const CASES: Case[] = [
  { rows: 0, cols: 5, slack: "mixed", density: 0.5, label: "0 rows" },
  { rows: 1, cols: 1, slack: "mixed", density: 1, label: "1 x 1" },
  { rows: 1, cols: 7, slack: "mixed", density: 0.8, label: "1 row, 7 cols" },
  {
    rows: 3,
    cols: 5,
    slack: "mixed",
    density: 0.8,
    label: "3 x 5 (rows and cols not multiples of 4)",
  },
  { rows: 4, cols: 4, slack: "mixed", density: 0.8, label: "4 x 4 (one full tile)" },
  { rows: 5, cols: 0, slack: "all", density: 0.5, label: "0 cols" },
  { rows: 13, cols: 31, slack: "mixed", density: 0.5, label: "13 x 31" },
  { rows: 37, cols: 784, slack: "mixed", density: 0.19, label: "37 x 784 (MNIST width, sparse)" },
  { rows: 64, cols: 3, slack: "mixed", density: 1, label: "64 x 3" },
  { rows: 30, cols: 18, slack: "none", density: 0.6, label: "30 x 18, every row without slack" },
  { rows: 30, cols: 18, slack: "all", density: 0.6, label: "30 x 18, every row with slack" },
  { rows: 21, cols: 10, slack: "mixed", density: 0, label: "21 x 10, all zero" },
];

interface Data {
  x: Float32Array;
  y: Float64Array;
  w: Float64Array;
}

/** Features, labels and weights for a case; with 5+ columns, some are all-zero on purpose. */
function makeData(c: Case, seed: number): Data {
  const rng = new Rng(seed);
  const blankColumn = new Uint8Array(c.cols).map(() => (c.cols > 4 && rng.next() < 0.2 ? 1 : 0));
  const x = new Float32Array(c.rows * c.cols);
  for (let j = 0; j < c.rows; j++) {
    for (let k = 0; k < c.cols; k++) {
      if (blankColumn[k] === 0 && rng.next() < c.density) x[j * c.cols + k] = rng.next();
    }
  }
  const y = new Float64Array(c.rows).map(() => (rng.next() < 0.5 ? 1 : -1));
  const w = new Float64Array(c.cols).map(() => rng.normal() * 0.3);
  if (c.slack === "all") w.fill(0); // s_j = 1 for every row
  if (c.slack === "none") {
    // Positive features, large positive weights and y = +1: y <w, x> > 1 for every row with ink.
    w.fill(50);
    y.fill(1);
    for (let j = 0; j < c.rows; j++) x[j * c.cols + (j % c.cols)] = 1;
    for (let k = 0; k < c.cols; k++) if (blankColumn[k] === 1) w[k] = 0;
    for (let j = 0; j < c.rows; j++) x[j * c.cols] = 1;
  }
  return { x, y, w };
}

function slackCount(d: Data, rows: number, cols: number): number {
  let n = 0;
  for (let j = 0; j < rows; j++) {
    let dot = 0;
    for (let k = 0; k < cols; k++) dot += d.x[j * cols + k] * d.w[k];
    if (1 - d.y[j] * dot > 0) n++;
  }
  return n;
}

interface Backend {
  name: string;
  make: () => Kernels;
}

const backends: Backend[] = [{ name: "reference", make: () => referenceKernels }];
if (simd)
  backends.push({ name: "wasm-simd", make: () => createWasmKernels(compileKernelModuleSync()) });

if (!simd) {
  if (underCi === "true") {
    it("wasm-simd backend is available (required under CI)", () => {
      expect.fail(
        "WebAssembly SIMD is not supported by this runtime, so the wasm-simd kernels cannot be checked",
      );
    });
  } else {
    it.skip("wasm-simd backend (skipped: this runtime does not support WebAssembly SIMD)", () => {});
  }
}

for (const backend of backends) {
  describe(`${backend.name} kernels against the reference`, () => {
    const k = backend.make();
    const ref = referenceKernels;

    for (const [i, c] of CASES.entries()) {
      describe(c.label, () => {
        const d = makeData(c, 100 + i);
        const mk = (kk: Kernels) => kk.matrix(d.x, c.rows, c.cols);

        it("has the slack pattern the case names", () => {
          const n = slackCount(d, c.rows, c.cols);
          if (c.slack === "none") expect(n).toBe(0);
          if (c.slack === "all") expect(n).toBe(c.rows);
        });

        it("squaredHinge", () => {
          const m = mk(k);
          const mr = mk(ref);
          const g = new Float64Array(c.cols).fill(Number.NaN); // must be overwritten
          const gr = new Float64Array(c.cols);
          const s = k.squaredHinge(m, d.y, d.w, g);
          const sr = ref.squaredHinge(mr, d.y, d.w, gr);
          expectClose([s], [sr], "sum of squared slack");
          expectClose(g, gr, "gradient");
          if (c.slack === "none") expect(s).toBe(0);
          if (c.slack === "all") expect(s).toBeCloseTo(c.rows, 4);
          m.dispose();
        });

        it("matVec and matTVec", () => {
          const m = mk(k);
          const mr = mk(ref);
          const out = new Float64Array(c.rows).fill(Number.NaN);
          const outR = new Float64Array(c.rows);
          k.matVec(m, d.w, out);
          ref.matVec(mr, d.w, outR);
          expectClose(out, outR, "X w");
          const r = d.y.map((v, j) => v * ((j % 3) - 1)); // some zero entries
          const t = new Float64Array(c.cols).fill(Number.NaN);
          const tR = new Float64Array(c.cols);
          k.matTVec(m, r, t);
          ref.matTVec(mr, r, tR);
          expectClose(t, tR, "X^T r");
          m.dispose();
        });

        for (const h of [1, 3, 8]) {
          it(`matMul and matTMul with h = ${h}`, () => {
            const rng = new Rng(7 * h + i);
            const m = mk(k);
            const mr = mk(ref);
            const W = new Float64Array(c.cols * h).map(() => rng.normal());
            const out = new Float64Array(c.rows * h).fill(Number.NaN);
            const outR = new Float64Array(c.rows * h);
            k.matMul(m, W, h, out);
            ref.matMul(mr, W, h, outR);
            expectClose(out, outR, "X W");
            const G = new Float64Array(c.rows * h).map(() => rng.normal());
            const t = new Float64Array(c.cols * h).fill(Number.NaN);
            const tR = new Float64Array(c.cols * h);
            k.matTMul(m, G, h, t);
            ref.matTMul(mr, G, h, tR);
            expectClose(t, tR, "X^T G");
            m.dispose();
          });
        }
      });
    }

    it("reads the data at matrix() time: later changes to the source do not matter", () => {
      const x = new Float32Array([1, 2, 3, 4, 5, 6]);
      const m = k.matrix(x, 2, 3);
      x.fill(0);
      const out = new Float64Array(2);
      k.matVec(m, new Float64Array([1, 1, 1]), out);
      expectClose(out, [6, 15], "X w");
      m.dispose();
    });

    it("gives the same answer when called again (scratch memory is reused cleanly)", () => {
      const c = CASES[7];
      const d = makeData(c, 5);
      const m = k.matrix(d.x, c.rows, c.cols);
      const g1 = new Float64Array(c.cols);
      const g2 = new Float64Array(c.cols);
      const s1 = k.squaredHinge(m, d.y, d.w, g1);
      k.matMul(m, new Float64Array(c.cols * 5).fill(1), 5, new Float64Array(c.rows * 5));
      const s2 = k.squaredHinge(m, d.y, d.w, g2);
      expect(s2).toBe(s1);
      expect(g2).toEqual(g1);
      m.dispose();
    });

    it("throws on every operation after dispose(), and dispose() twice is harmless", () => {
      const m = k.matrix(new Float32Array(6), 2, 3);
      m.dispose();
      expect(() => m.dispose()).not.toThrow();
      const v3 = new Float64Array(3);
      const v2 = new Float64Array(2);
      const ops: Array<[string, () => unknown]> = [
        ["matVec", () => k.matVec(m, v3, v2)],
        ["matTVec", () => k.matTVec(m, v2, v3)],
        ["squaredHinge", () => k.squaredHinge(m, v2, v3, v3)],
        ["matMul", () => k.matMul(m, v3, 1, v2)],
        ["matTMul", () => k.matTMul(m, v2, 1, v3)],
      ];
      for (const [op, call] of ops)
        expect(call, op).toThrow(`${op}: the matrix was used after dispose()`);
    });

    it("rejects a matrix made by another backend", () => {
      const other: Kernels =
        k.name === "reference" && simd
          ? createWasmKernels(compileKernelModuleSync())
          : referenceKernels;
      const m: KernelMatrix = (
        k === other ? createWasmKernels(compileKernelModuleSync()) : other
      ).matrix(new Float32Array(4), 2, 2);
      expect(() => k.matVec(m, new Float64Array(2), new Float64Array(2))).toThrow(TypeError);
      m.dispose();
    });

    it("rejects bad shapes and short vectors with the argument's name", () => {
      expect(() => k.matrix(new Float32Array(5), 2, 3)).toThrow("needs 6 values (2 x 3), got 5");
      expect(() => k.matrix(new Float32Array(5), -1, 3)).toThrow("non-negative integers");
      expect(() => k.matrix(new Float32Array(5), 1.5, 2)).toThrow("non-negative integers");
      const m = k.matrix(new Float32Array(6), 2, 3);
      expect(() =>
        k.squaredHinge(m, new Float64Array(2), new Float64Array(2), new Float64Array(3)),
      ).toThrow("squaredHinge: w needs at least 3 values, got 2");
      expect(() => k.matVec(m, new Float64Array(3), new Float64Array(1))).toThrow(
        "matVec: out needs at least 2 values, got 1",
      );
      expect(() => k.matMul(m, new Float64Array(6), -2, new Float64Array(4))).toThrow(
        "matMul: h must be a non-negative integer, got -2",
      );
      m.dispose();
    });

    if (isWasmKernels(k)) {
      it("returns every byte of WebAssembly memory to the heap on dispose()", () => {
        const before = k.memoryUse().usedBytes;
        const ms = [3, 50, 7].map((rows) => k.matrix(new Float32Array(rows * 9).fill(1), rows, 9));
        expect(k.memoryUse().usedBytes).toBeGreaterThan(before);
        for (const m of ms) m.dispose();
        expect(k.memoryUse().usedBytes).toBe(before);
      });

      it("grows its memory for a matrix larger than the initial memory", () => {
        const rows = 1000;
        const cols = 784;
        const x = new Float32Array(rows * cols).fill(0.5);
        const totalBefore = k.memoryUse().totalBytes;
        const m = k.matrix(x, rows, cols);
        expect(k.memoryUse().totalBytes).toBeGreaterThan(totalBefore);
        const out = new Float64Array(rows);
        k.matVec(m, new Float64Array(cols).fill(1), out);
        expectClose(out, new Float64Array(rows).fill(392), "X w after growth");
        m.dispose();
      });

      it("streamSum adds every stored value", () => {
        const x = new Float32Array([1, 2, 0, 4, 5, 6, 0, 8, 9]);
        const m = k.matrix(x, 3, 3);
        expect(k.streamSum(m)).toBeCloseTo(35, 5);
        m.dispose();
      });
    }
  });
}

describe("backend selection", () => {
  it("gives the reference when asked, whatever the runtime", () => {
    expect(chooseBackend("reference", true)).toBe("reference");
    expect(chooseBackend("reference", false)).toBe("reference");
    expect(getKernels("reference")).toBe(referenceKernels);
  });

  it("auto picks wasm-simd where WebAssembly SIMD exists and falls back to the reference elsewhere", () => {
    expect(chooseBackend("auto", true)).toBe("wasm-simd");
    expect(chooseBackend("auto", false)).toBe("reference");
    expect(getKernels().name).toBe(simd ? "wasm-simd" : "reference");
  });

  it("refuses an explicit wasm-simd request where SIMD is missing, saying why", () => {
    expect(() => chooseBackend("wasm-simd", false)).toThrow(
      /"wasm-simd" were requested, but this runtime does not support WebAssembly SIMD/,
    );
    expect(chooseBackend("wasm-simd", true)).toBe("wasm-simd");
  });

  it("rejects an unknown preference", () => {
    expect(() => chooseBackend("gpu" as never, true)).toThrow(
      'Unknown kernels preference "gpu": use one of auto, reference, wasm-simd',
    );
  });

  it.skipIf(!simd)("shares one wasm-simd instance between getKernels and loadKernels", async () => {
    const a = getKernels("wasm-simd");
    const b = await loadKernels("auto");
    expect(b).toBe(a);
    expect(a.name).toBe("wasm-simd");
  });
});
