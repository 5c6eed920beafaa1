import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeIdx } from "../core/data/idx-encode.js";
import { Rng } from "../core/data/rng.js";
import { loadIdxDirectory } from "./idx-directory.js";

const made: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "fedtau-idx-"));
  made.push(dir);
  return dir;
};
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

const rng = new Rng(12);
const bytes = (n: number) => Array.from({ length: n }, () => rng.int(256));
const train = { pixels: bytes(6 * 3 * 2), labels: [1, 0, 9, 4, 4, 2] };
const test = { pixels: bytes(2 * 3 * 2), labels: [3, 8] };

/** Writes a tiny IDX data set (6 training and 2 test images of 3 x 2) in the given style. */
async function writeSet(dir: string, style: "dash" | "dot", gz: boolean): Promise<void> {
  const name = (role: string, ext: string) =>
    `${role}${style === "dash" ? "-" : "."}${ext}${gz ? ".gz" : ""}`;
  const pack = (b: Uint8Array) => (gz ? gzipSync(b) : b);
  await writeFile(
    join(dir, name("train-images", "idx3-ubyte")),
    pack(encodeIdx([6, 3, 2], train.pixels)),
  );
  await writeFile(
    join(dir, name("train-labels", "idx1-ubyte")),
    pack(encodeIdx([6], train.labels)),
  );
  await writeFile(
    join(dir, name("t10k-images", "idx3-ubyte")),
    pack(encodeIdx([2, 3, 2], test.pixels)),
  );
  await writeFile(join(dir, name("t10k-labels", "idx1-ubyte")), pack(encodeIdx([2], test.labels)));
}

describe("loadIdxDirectory", () => {
  for (const style of ["dash", "dot"] as const) {
    for (const gz of [false, true]) {
      it(`reads ${gz ? "gzipped" : "plain"} files named the ${style} way`, async () => {
        const dir = await freshDir();
        await writeSet(dir, style, gz);
        const split = await loadIdxDirectory(dir);
        expect(split.train).toMatchObject({
          name: `idx:${dir} (train)`,
          rows: 6,
          dim: 6,
          classes: 10,
          imageShape: [3, 2],
        });
        expect(split.test.rows).toBe(2);
        expect(Array.from(split.train.labels)).toEqual(train.labels);
        expect(Array.from(split.test.labels)).toEqual(test.labels);
        expect(Array.from(split.train.features, (v) => Math.round(v * 255))).toEqual(train.pixels);
        expect(Array.from(split.test.features)).toEqual(
          test.pixels.map((b) => Math.fround(b / 255)),
        );
      });
    }
  }

  it("names the directory and the files when something is missing or inconsistent", async () => {
    const missing = join(tmpdir(), "fedtau-no-such-dir-for-test");
    await expect(loadIdxDirectory(missing)).rejects.toThrow(
      `Cannot load data set "idx:${missing}": directory "${missing}" does not exist`,
    );
    const dir = await freshDir();
    await writeFile(join(dir, "file"), "x");
    await expect(loadIdxDirectory(join(dir, "file"))).rejects.toThrow(
      `"${join(dir, "file")}" is not a directory`,
    );
    const partial = await freshDir();
    await writeFile(join(partial, "train-images-idx3-ubyte"), encodeIdx([6, 3, 2], train.pixels));
    await expect(loadIdxDirectory(partial, "idx:p")).rejects.toThrow(
      `Cannot load data set "idx:p": no training labels in "${partial}" (looked for train-labels-idx1-ubyte, train-labels.idx1-ubyte, train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte.gz)`,
    );

    const short = await freshDir();
    await writeSet(short, "dash", false);
    await writeFile(
      join(short, "train-labels-idx1-ubyte"),
      encodeIdx([5], train.labels.slice(0, 5)),
    );
    await expect(loadIdxDirectory(short, "idx:s")).rejects.toThrow(
      `Cannot load data set "idx:s": "${join(short, "train-labels-idx1-ubyte")}" has 5 labels but "${join(short, "train-images-idx3-ubyte")}" has 6 images`,
    );

    const shapes = await freshDir();
    await writeSet(shapes, "dash", false);
    await writeFile(join(shapes, "t10k-images-idx3-ubyte"), encodeIdx([2, 2, 3], test.pixels));
    await expect(loadIdxDirectory(shapes, "idx:s")).rejects.toThrow(
      `test images "${join(shapes, "t10k-images-idx3-ubyte")}" are 2 x 3, training images "${join(shapes, "train-images-idx3-ubyte")}" are 3 x 2`,
    );

    const corrupt = await freshDir();
    await writeSet(corrupt, "dash", true);
    await writeFile(join(corrupt, "t10k-labels-idx1-ubyte.gz"), encodeIdx([2, 1, 1], [0, 0]));
    await expect(loadIdxDirectory(corrupt)).rejects.toThrow(
      `Cannot read IDX labels "${join(corrupt, "t10k-labels-idx1-ubyte.gz")}": magic number 0x00000803, expected 0x00000801`,
    );
  });

  it("prefers a plain file to a gzipped one", async () => {
    const dir = await freshDir();
    await writeSet(dir, "dash", true);
    await writeFile(join(dir, "train-labels-idx1-ubyte"), encodeIdx([6], [5, 5, 5, 5, 5, 5]));
    const split = await loadIdxDirectory(dir);
    expect(Array.from(split.train.labels)).toEqual([5, 5, 5, 5, 5, 5]);
  });

  it("treats labels that are not small integers as regression targets", async () => {
    const dir = await freshDir();
    await writeSet(dir, "dash", false);
    await writeFile(
      join(dir, "train-labels-idx1-ubyte"),
      encodeIdx([6], [0.5, 1, 2, 3, 4, 5], 0x0d),
    );
    const split = await loadIdxDirectory(dir);
    expect(split.train.classes).toBeUndefined();
    expect(split.test.classes).toBeUndefined();
  });
});
