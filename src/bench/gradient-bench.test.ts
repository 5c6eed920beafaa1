import { describe, expect, it } from "vitest";
import {
  formatGradientBench,
  type GradientBenchResult,
  runGradientBench,
} from "./gradient-bench.js";

describe("runGradientBench", () => {
  it("times each size and reports medians, the slack share and no numpy figures without numpy", async () => {
    const progress: string[] = [];
    const r = await runGradientBench({
      sizes: [37, 8],
      runs: 20,
      numpy: false,
      onProgress: (m) => progress.push(m),
    });
    expect(r.runs).toBeGreaterThanOrEqual(20);
    expect(r.numpy).toEqual({ available: false, reason: "not requested (--no-numpy)" });
    expect(r.sizes.map((s) => s.rows)).toEqual([37, 8]);
    for (const s of r.sizes) {
      expect(s.cols).toBe(784);
      expect(s.fedtauMs).toBeGreaterThanOrEqual(0);
      expect(s.numpyMs).toBeNull();
      expect(s.ratioToNumpy).toBeNull();
      expect(s.relDiffToNumpy).toBeNull();
      expect(s.activeShare).toBeGreaterThan(0);
      expect(s.activeShare).toBeLessThanOrEqual(1);
      if (r.kernels === "wasm-simd") expect(s.boundMs).not.toBeNull();
    }
    expect(progress.some((m) => m.startsWith("37 x 784"))).toBe(true);
  });

  it("times the reference kernels when asked, without a stream-read floor", async () => {
    const r = await runGradientBench({ sizes: [9], runs: 20, numpy: false, kernels: "reference" });
    expect(r.kernels).toBe("reference");
    expect(r.sizes[0].boundMs).toBeNull();
  });

  it("refuses too few runs and empty sizes, naming the limit", async () => {
    await expect(runGradientBench({ runs: 5, numpy: false })).rejects.toThrow(
      "bench runs must be an integer of at least 20, got 5",
    );
    await expect(runGradientBench({ sizes: [0], runs: 20, numpy: false })).rejects.toThrow(
      "bench sizes must be positive row counts, got 0",
    );
  });

  it("agrees with numpy on the gradient when python3 with numpy is present", async () => {
    const r = await runGradientBench({ sizes: [40], runs: 20 });
    if (!r.numpy.available) {
      expect(r.sizes[0].numpyMs).toBeNull();
      expect(r.numpy.reason.length).toBeGreaterThan(0);
      return;
    }
    const s = r.sizes[0];
    expect(s.numpyMs).not.toBeNull();
    expect(s.ratioToNumpy).toBeCloseTo(s.fedtauMs / s.numpyMs!, 10);
    expect(s.relDiffToNumpy).toBeLessThan(1e-5);
  });
});

describe("formatGradientBench", () => {
  const result: GradientBenchResult = {
    kernels: "wasm-simd",
    runs: 60,
    numpy: { available: true, version: "2.4.6", blas: "openblas 0.3" },
    sizes: [
      {
        rows: 1600,
        cols: 784,
        fedtauMs: 0.0861,
        numpyMs: 0.1,
        ratioToNumpy: 0.861,
        boundMs: 0.0342,
        activeShare: 0.479,
        relDiffToNumpy: 2e-7,
      },
    ],
  };

  it("prints one row per size with the ratio, the floor and the slack share", () => {
    const text = formatGradientBench(result);
    expect(text).toContain("wasm-simd kernels, median of 60 runs");
    expect(text).toMatch(/1600\s+0\.086\s+0\.100\s+0\.86\s+0\.034\s+48%/);
    expect(text).toContain("numpy 2.4.6 (openblas 0.3), one BLAS thread");
  });

  it("says why numpy is missing", () => {
    const text = formatGradientBench({
      ...result,
      numpy: { available: false, reason: "python3 is not on PATH" },
      sizes: [{ ...result.sizes[0], numpyMs: null, ratioToNumpy: null }],
    });
    expect(text).toContain("numpy not timed: python3 is not on PATH");
    expect(text).toMatch(/1600\s+0\.086\s+-\s+-/);
  });
});
