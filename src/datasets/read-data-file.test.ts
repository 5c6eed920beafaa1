import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDataFile } from "./read-data-file.js";

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "fedtau-read-"));
  made.push(dir);
  return dir;
};

describe("readDataFile", () => {
  it("reads a regular file whole", async () => {
    const file = join(await freshDir(), "d.csv");
    await writeFile(file, "1,2,3\n");
    expect(new TextDecoder().decode(await readDataFile(file, "CSV"))).toBe("1,2,3\n");
  });

  it("refuses a file larger than the limit before reading it", async () => {
    const file = join(await freshDir(), "big.csv");
    await writeFile(file, "x".repeat(100));
    await expect(readDataFile(file, "CSV", 99)).rejects.toThrow(
      `Cannot read CSV "${file}": it has 100 bytes, more than the 99 a data file may have`,
    );
  });

  it("refuses a device that never ends (csv:/dev/zero)", async () => {
    await expect(readDataFile("/dev/zero", "CSV")).rejects.toThrow(
      'Cannot read CSV "/dev/zero": not a regular file (a device, a FIFO or a socket)',
    );
  });

  it("refuses a FIFO at once instead of waiting for a writer", async () => {
    const fifo = join(await freshDir(), "pipe.csv");
    execFileSync("mkfifo", [fifo]);
    await expect(readDataFile(fifo, "CSV")).rejects.toThrow(
      `Cannot read CSV "${fifo}": not a regular file (a device, a FIFO or a socket)`,
    );
  });
});
