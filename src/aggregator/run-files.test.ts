import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunFiles, runFilePaths } from "./run-files.js";
import type { RunSummary } from "./run-summary.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), "fedtau-run-files-"));
  dirs.push(d);
  return d;
};

const summary = { runId: "r1", status: "completed" } as unknown as RunSummary;
const weights = Float64Array.from([0.1, -2.5e-300, 1 / 3]);

describe("RunFiles.writeResult", () => {
  it("writes weights.json, exact, then summary.json, and leaves no temporary file", () => {
    const files = new RunFiles(runFilePaths(freshDir(), 1, true));
    files.writeResult(summary, "r1", weights);
    const back = JSON.parse(readFileSync(files.paths.weights, "utf8")) as { weights: number[] };
    expect(back.weights).toEqual(Array.from(weights));
    expect(JSON.parse(readFileSync(files.paths.summary, "utf8"))).toEqual(summary);
    expect(readdirSync(files.paths.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("has the weights whole on disk before the summary is written (a crash between them)", () => {
    const files = new RunFiles(runFilePaths(freshDir(), 1, true));
    // summary.json cannot be written: the write fails there, as a crash or a full disk would.
    mkdirSync(files.paths.summary);
    expect(() => files.writeResult(summary, "r1", weights)).toThrow();
    const back = JSON.parse(readFileSync(files.paths.weights, "utf8")) as { weights: number[] };
    expect(back.weights).toEqual(Array.from(weights));
    expect(existsSync(join(files.paths.summary, "summary.json"))).toBe(false);
  });
});
