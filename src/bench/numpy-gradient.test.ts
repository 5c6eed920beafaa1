import { describe, expect, it } from "vitest";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { encodeGradientData, NumpyGradient, numpyEnv } from "./numpy-gradient.js";

describe("numpyEnv", () => {
  it("pins BLAS to one thread and drops the OpenBLAS core-type and cache overrides", () => {
    const env = numpyEnv({
      PATH: "/bin",
      OPENBLAS_CORETYPE: "Haswell",
      OPENBLAS_L2_SIZE: "512",
      OMP_NUM_THREADS: "8",
    });
    expect(env).toEqual({
      PATH: "/bin",
      OPENBLAS_NUM_THREADS: "1",
      MKL_NUM_THREADS: "1",
      OMP_NUM_THREADS: "1",
    });
  });
});

describe("encodeGradientData", () => {
  it("lays out X, then y, then w as float32", () => {
    const bytes = encodeGradientData(
      new Float32Array([1, 2, 3, 4, 5, 6, 99]),
      new Float64Array([-1, 1]),
      new Float64Array([0.5, 0.25, 0.125]),
      2,
      3,
    );
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual([
      1, 2, 3, 4, 5, 6, -1, 1, 0.5, 0.25, 0.125,
    ]);
  });
});

// numpy is optional (the bench then reports why it has no numpy figure): the test that needs it
// says in its name why it was skipped.
const started = await NumpyGradient.start();
const np = started instanceof NumpyGradient ? started : undefined;
const why =
  np === undefined ? ` (skipped: ${(started as { unavailable: string }).unavailable})` : "";

describe("NumpyGradient", () => {
  it("reports a missing interpreter as a reason, not an exception", async () => {
    const r = await NumpyGradient.start("fedtau-no-such-python");
    expect(r).toEqual({ unavailable: "fedtau-no-such-python is not on PATH" });
  });

  it.skipIf(np === undefined)(
    `computes the smooth-SVM gradient that the reference kernels do${why}`,
    async () => {
      const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
      const { tmpdir } = await import("node:os");
      const { join } = await import("node:path");
      const rows = 6;
      const cols = 5;
      const x = new Float32Array(rows * cols).map((_, i) => ((i * 7) % 11) / 10);
      const y = new Float64Array([1, -1, 1, 1, -1, -1]);
      const w = new Float64Array([0.3, -0.2, 0.1, 0.05, -0.4]);
      const dir = await mkdtemp(join(tmpdir(), "fedtau-np-test-"));
      try {
        const path = join(dir, "d.f32");
        await writeFile(path, encodeGradientData(x, y, w, rows, cols));
        const g = await np!.load("t", path, rows, cols, 0.1);
        const m = referenceKernels.matrix(x, rows, cols);
        const want = new Float64Array(cols);
        referenceKernels.squaredHinge(m, y, w, want);
        for (let k = 0; k < cols; k++) expect(g[k]).toBeCloseTo(0.1 * w[k] + want[k] / rows, 5);
        const ms = await np!.time("t", 4, 1);
        expect(ms).toHaveLength(4);
        await np!.drop("t");
      } finally {
        np!.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
