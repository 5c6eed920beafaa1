import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCsvFile } from "./csv-file.js";

const made: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "fedtau-csv-"));
  made.push(dir);
  return dir;
};
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${from + i},${(from + i) / 2},${(from + i) % 3}`).join("\n");

describe("loadCsvFile", () => {
  it("holds out a fixed 20% when there is no test file", async () => {
    const dir = await freshDir();
    const file = join(dir, "d.csv");
    await writeFile(file, `x,y,label\n${rows(20)}\n`);
    const a = await loadCsvFile(file);
    const b = await loadCsvFile(file);
    expect([a.train.rows, a.test.rows]).toEqual([16, 4]);
    expect(a.train).toMatchObject({ name: `csv:${file} (train)`, dim: 2, classes: 3 });
    expect(Array.from(a.test.features)).toEqual(Array.from(b.test.features));
    const other = await loadCsvFile(file, { splitSeed: 5 });
    expect(Array.from(other.test.features)).not.toEqual(Array.from(a.test.features));
  });

  it("uses an explicit test file, with the classes of both", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "train.csv"), `${rows(6)}\n`);
    await writeFile(join(dir, "test.csv"), "1,2,7\n");
    const split = await loadCsvFile(
      join(dir, "train.csv"),
      { testFile: join(dir, "test.csv") },
      "csv:train.csv",
    );
    expect([split.train.rows, split.test.rows]).toEqual([6, 1]);
    expect([split.train.classes, split.test.classes]).toEqual([8, 8]);
    expect(split.test.name).toBe("csv:train.csv (test)");
  });

  it("names the file for a missing file, a bad line and a column mismatch", async () => {
    const dir = await freshDir();
    await expect(loadCsvFile(join(dir, "none.csv"))).rejects.toThrow(
      `Cannot read CSV "${join(dir, "none.csv")}": no such file`,
    );
    await writeFile(join(dir, "bad.csv"), "1,2,3\n4,5\n");
    await expect(loadCsvFile(join(dir, "bad.csv"))).rejects.toThrow(
      `Cannot read CSV "${join(dir, "bad.csv")}": line 2 has 2 fields, expected 3`,
    );
    await writeFile(join(dir, "a.csv"), "1,2,3\n");
    await writeFile(join(dir, "b.csv"), "1,2\n");
    await expect(
      loadCsvFile(join(dir, "a.csv"), { testFile: join(dir, "b.csv") }, "csv:a.csv"),
    ).rejects.toThrow(
      `Cannot load data set "csv:a.csv": test file "${join(dir, "b.csv")}" has 1 features, "${join(dir, "a.csv")}" has 2`,
    );
    await expect(loadCsvFile(dir)).rejects.toThrow(
      `Cannot read CSV "${dir}": it is a directory, not a file`,
    );
  });
});
