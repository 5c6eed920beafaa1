import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ControllerConfig } from "../core/control/controller.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import type { RunId } from "../protocol/index.js";
import {
  CONTROLLER_FILE,
  ROUNDS_FILE,
  writeControllerFile,
  writeFileAtomically,
} from "../record/record-files.js";
import type { RunSummary } from "./run-summary.js";

/**
 * The files of one run: controller.json (at the start), rounds.jsonl (as it goes), summary.json
 * and weights.json (at the end). controller.json and rounds.jsonl are the run's record, which
 * `fedtau replay` checks.
 */
export interface RunFilePaths {
  readonly dir: string;
  readonly controller: string;
  readonly rounds: string;
  readonly summary: string;
  readonly weights: string;
}

/**
 * Where run `run` writes: `out` itself when the aggregator makes one run, else `out/run-<k>`.
 */
export function runFilePaths(out: string, run: number, single: boolean): RunFilePaths {
  const dir = single ? out : join(out, `run-${run}`);
  return {
    dir,
    controller: join(dir, CONTROLLER_FILE),
    rounds: join(dir, ROUNDS_FILE),
    summary: join(dir, "summary.json"),
    weights: join(dir, "weights.json"),
  };
}

/**
 * Writes one run's files; the directory is created, an earlier rounds.jsonl replaced (or, for a
 * resumed run, `kept`: the first `kept.bytes` bytes, `kept.lines` lines, are the rounds so far).
 */
export class RunFiles {
  readonly paths: RunFilePaths;
  /** Size of rounds.jsonl so far, in bytes and lines: a checkpoint records them. */
  bytes = 0;
  lines = 0;

  constructor(paths: RunFilePaths, kept?: { readonly bytes: number; readonly lines: number }) {
    this.paths = paths;
    mkdirSync(paths.dir, { recursive: true });
    if (kept === undefined) writeFileSync(paths.rounds, "");
    else {
      this.bytes = kept.bytes;
      this.lines = kept.lines;
    }
  }

  /**
   * The controller's config, written atomically before the first round (again on resume: the
   * same config), so that the record replays on its own.
   */
  writeController(config: ControllerConfig): void {
    writeControllerFile(this.paths.dir, config);
  }

  /** One RoundEvent as one JSON line (NaN and Infinity as null, as JSON has them). */
  appendRound(event: RoundEvent): void {
    const line = `${JSON.stringify(event)}\n`;
    appendFileSync(this.paths.rounds, line);
    this.bytes += Buffer.byteLength(line, "utf8");
    this.lines++;
  }

  /**
   * The run's result: weights.json (the weights the run returns, as JSON numbers: JavaScript
   * prints each float64 in the shortest form that reads back to the same bits, so the file is
   * exact), then summary.json, each written atomically. The summary comes last: where it is,
   * the run's files are whole, and a crash before it leaves a run that --resume finishes.
   */
  writeResult(summary: RunSummary, runId: RunId, weights: Float64Array): void {
    const body = { runId, modelSize: weights.length, weights: Array.from(weights) };
    writeFileAtomically(this.paths.weights, `${JSON.stringify(body)}\n`);
    writeFileAtomically(this.paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  }
}
