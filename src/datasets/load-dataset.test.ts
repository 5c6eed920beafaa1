import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeIdx } from "../core/data/idx-encode.js";
import { itNeeds } from "../test-support/prerequisite.js";
import { loadDataset } from "./load-dataset.js";

const made: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "fedtau-load-"));
  made.push(dir);
  return dir;
};
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

const FASHION = "/usr/share/datasets/fashion-mnist";

describe("loadDataset", () => {
  it("loads the embedded MNIST", async () => {
    const split = await loadDataset("mnist", { mnist: { cacheDirs: [await freshDir()] } });
    expect([split.train.rows, split.test.rows]).toEqual([8_000, 2_000]);
  });

  it("loads an IDX directory and a CSV file, relative to cwd, named by the spec", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "train-images-idx3-ubyte"), encodeIdx([2, 1, 1], [0, 255]));
    await writeFile(join(dir, "train-labels-idx1-ubyte"), encodeIdx([2], [0, 1]));
    await writeFile(join(dir, "t10k-images-idx3-ubyte"), encodeIdx([1, 1, 1], [51]));
    await writeFile(join(dir, "t10k-labels-idx1-ubyte"), encodeIdx([1], [1]));
    await writeFile(join(dir, "my.csv"), "1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n");
    await writeFile(join(dir, "my-test.csv"), "0,0,1\n");

    const idx = await loadDataset("idx:.", { cwd: dir });
    expect(idx.train.name).toBe("idx:. (train)");
    expect(Array.from(idx.train.features)).toEqual([0, 1]);
    expect(Array.from(idx.test.features)).toEqual([Math.fround(0.2)]);

    const csv = await loadDataset("csv:my.csv", { cwd: dir });
    expect(csv.train.name).toBe("csv:my.csv (train)");
    expect([csv.train.rows, csv.test.rows]).toEqual([4, 1]);

    const withTest = await loadDataset("csv:my.csv", {
      cwd: dir,
      csv: { testFile: "my-test.csv" },
    });
    expect([withTest.train.rows, withTest.test.rows]).toEqual([5, 1]);
  });

  it("rejects unknown specs and names missing paths", async () => {
    await expect(loadDataset("cifar10")).rejects.toThrow(
      'Unknown data set "cifar10": expected "mnist", "idx:DIR" or "csv:FILE"',
    );
    const dir = await freshDir();
    await expect(loadDataset("csv:nope.csv", { cwd: dir })).rejects.toThrow(
      `Cannot read CSV "${join(dir, "nope.csv")}": no such file`,
    );
    await expect(loadDataset("idx:nope", { cwd: dir })).rejects.toThrow(
      `Cannot load data set "idx:nope": directory "${join(dir, "nope")}" does not exist`,
    );
  });

  // Full size, from Debian's dataset-fashion-mnist (.ci/run installs it).
  itNeeds({
    name: "Debian's dataset-fashion-mnist",
    present: existsSync(FASHION),
    install: "apt-get install -y dataset-fashion-mnist",
  })("loads Fashion-MNIST from its Debian package", async () => {
    const split = await loadDataset(`idx:${FASHION}`);
    expect([split.train.rows, split.test.rows]).toEqual([60_000, 10_000]);
    expect(split.train).toMatchObject({ dim: 784, classes: 10, imageShape: [28, 28] });
  });
});
