import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { RoundEvent } from "../../core/federation/round-event.js";
import { ROUNDS_FILE } from "../../record/record-files.js";

/**
 * For a test file (call it at its top level): a function that makes a fresh temporary directory
 * named `prefix...` at each call; all of them are removed after the file's tests.
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** The round events a run logged in DIR/rounds.jsonl, in order. */
export function loggedRounds(dir: string): RoundEvent[] {
  return readFileSync(join(dir, ROUNDS_FILE), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RoundEvent);
}
