import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeCheckpoint, encodeCheckpoint } from "./checkpoint-codec.js";
import {
  CheckpointError,
  readCheckpointFile,
  temporaryPathOf,
  writeCheckpointFile,
} from "./checkpoint-file.js";
import { tempDirs } from "./test-support/run-dirs.js";

const tempDir = tempDirs("fedtau-checkpoint-");

/** Float64 values JSON numbers alone would lose or that are easy to get wrong. */
const awkward = [
  0.1 + 0.2,
  -0,
  Number.MIN_VALUE,
  -Number.MAX_VALUE,
  Number.EPSILON,
  1 / 3,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  123456789.12345679,
];

function bits(a: Float64Array): string[] {
  return Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b) => b.toString(16));
}

describe("checkpoint codec", () => {
  it("round-trips float64 vectors bit for bit, and the numbers JSON has no form for", () => {
    const weights = Float64Array.from(awkward);
    const value = {
      weights,
      nested: { list: awkward, empty: new Float64Array(0), text: "é ✓", none: null },
    };
    const back = decodeCheckpoint(encodeCheckpoint(value)) as typeof value;
    expect(back.weights).toBeInstanceOf(Float64Array);
    expect(bits(back.weights)).toEqual(bits(weights));
    expect(back.nested.list.map((v) => Object.is(v, -0) || v)).toEqual(
      awkward.map((v) => Object.is(v, -0) || v),
    );
    expect(back.nested.empty).toEqual(new Float64Array(0));
    expect(back.nested.text).toBe("é ✓");
    expect(back.nested.none).toBeNull();
  });

  it("round-trips random doubles exactly", () => {
    const a = new Float64Array(1000);
    const raw = new BigUint64Array(a.buffer);
    let x = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < raw.length; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      raw[i] = x;
    }
    const back = decodeCheckpoint(encodeCheckpoint({ a, list: Array.from(a) })) as {
      a: Float64Array;
      list: number[];
    };
    expect(bits(back.a)).toEqual(bits(a));
    expect(bits(Float64Array.from(back.list))).toEqual(
      bits(Float64Array.from(a, (v) => (Number.isNaN(v) ? Number.NaN : v))),
    );
  });

  it("detects a changed byte, a cut, another format or version", () => {
    const text = encodeCheckpoint({ weights: Float64Array.from([1, 2, 3]), round: 7 });
    const flipped = text.replace('"round":7', '"round":8');
    expect(() => decodeCheckpoint(flipped)).toThrow(/does not match the header's SHA-256/);
    expect(() => decodeCheckpoint(text.slice(0, -5))).toThrow(
      /body has \d+ bytes, the header says/,
    );
    expect(() => decodeCheckpoint(text.slice(0, 20))).toThrow(/no header line/);
    expect(() => decodeCheckpoint("{}\n{}")).toThrow(/does not name the format/);
    expect(() => decodeCheckpoint("garbage\n")).toThrow(/header line is not JSON/);
    const v2 = text.replace('"version":1', '"version":2');
    expect(() => decodeCheckpoint(v2)).toThrow(/version 2; this fedtau reads version 1/);
  });
});

describe("checkpoint file", () => {
  it("writes by a synced temporary file and a rename, and reads back", async () => {
    const path = join(tempDir(), "checkpoint.json");
    await writeCheckpointFile(path, { round: 1, w: Float64Array.from([0.5]) });
    expect(existsSync(temporaryPathOf(path))).toBe(false);
    expect(await readCheckpointFile(path)).toEqual({ round: 1, w: Float64Array.from([0.5]) });
    await writeCheckpointFile(path, { round: 2, w: Float64Array.from([0.25]) });
    expect(await readCheckpointFile(path)).toEqual({ round: 2, w: Float64Array.from([0.25]) });
  });

  it("a crash between the write and the rename leaves the old checkpoint", async () => {
    const path = join(tempDir(), "checkpoint.json");
    await writeCheckpointFile(path, { round: 3 });
    const crash = writeCheckpointFile(
      path,
      { round: 4 },
      {
        beforeRename: () => {
          throw new Error("power cut");
        },
      },
    );
    await expect(crash).rejects.toThrow("power cut");
    expect(existsSync(temporaryPathOf(path))).toBe(true);
    expect(await readCheckpointFile(path)).toEqual({ round: 3 });
    // The next save goes over the leftover temporary file.
    await writeCheckpointFile(path, { round: 5 });
    expect(await readCheckpointFile(path)).toEqual({ round: 5 });
    expect(existsSync(temporaryPathOf(path))).toBe(false);
  });

  it("a process killed (SIGKILL) while it writes checkpoints leaves a whole one", async () => {
    const dir = tempDir();
    const path = join(dir, "checkpoint.json");
    const module = fileURLToPath(new URL("./checkpoint-file.ts", import.meta.url));
    // Large checkpoints, written back to back: the kill lands in a write or between two.
    const script = `
      import { writeCheckpointFile } from ${JSON.stringify(module)};
      const big = new Float64Array(200000);
      for (let k = 1; ; k++) {
        big.fill(k);
        await writeCheckpointFile(${JSON.stringify(path)}, { k, big });
        process.stdout.write("wrote " + k + "\\n");
      }`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      let err = "";
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
      });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on("exit", (code, signal) => resolve(signal ?? code)),
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          // A few writes done, more under way: kill now.
          if ((out.match(/wrote/g) ?? []).length >= 2 + attempt) resolve();
        });
        void exited.then(() => reject(new Error(`The writer exited: ${err}`)));
      });
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      const back = (await readCheckpointFile(path)) as { k: number; big: Float64Array };
      expect(back.big).toHaveLength(200000);
      expect(back.big.every((v) => v === back.k)).toBe(true);
      const written = Number(/wrote (\d+)\n(?![\s\S]*wrote)/.exec(out)?.[1]);
      // The last write it reported, or the one after it (renamed, not yet reported).
      expect([written, written + 1]).toContain(back.k);
    }
  }, 60_000);

  it("names the file when it is missing, unreadable as a checkpoint, or damaged", async () => {
    const dir = tempDir();
    const path = join(dir, "checkpoint.json");
    const missing = readCheckpointFile(path);
    await expect(missing).rejects.toBeInstanceOf(CheckpointError);
    await expect(missing).rejects.toThrow(`No checkpoint at ${path}`);

    await writeCheckpointFile(path, { round: 9 });
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, text.length - 3));
    await expect(readCheckpointFile(path)).rejects.toThrow(
      new RegExp(`^The checkpoint ${path} is corrupt: its body has`),
    );
    writeFileSync(path, "");
    await expect(readCheckpointFile(path)).rejects.toThrow(`The checkpoint ${path} is corrupt`);
  });
});
