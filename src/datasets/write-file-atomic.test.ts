import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./write-file-atomic.js";

const made: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "fedtau-atomic-"));
  made.push(dir);
  return dir;
};
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

describe("writeFileAtomic", () => {
  it("creates the directory, replaces an old file and leaves no temporary file", async () => {
    const dir = await freshDir();
    const file = join(dir, "sub", "f.bin");
    await writeFileAtomic(file, Uint8Array.from([1, 2, 3]));
    await writeFileAtomic(file, Uint8Array.from([4, 5]));
    expect(Array.from(await readFile(file))).toEqual([4, 5]);
    expect(await readdir(join(dir, "sub"))).toEqual(["f.bin"]);
  });

  it("fails when the directory cannot be made, leaving nothing behind", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "plain"), "x");
    await expect(writeFileAtomic(join(dir, "plain", "f.bin"), new Uint8Array(1))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["plain"]);
  });
});
