import { readFileSync } from "node:fs";
import { readFile, truncate } from "node:fs/promises";
import type { RoundEvent } from "../core/federation/round-event.js";
import {
  type AggregatorCheckpoint,
  asCheckpoint,
  canonical,
  checkpointPathOf,
  setupDifferences,
} from "./checkpoint.js";
import { CheckpointError, readCheckpointFile } from "./checkpoint-file.js";
import type { LearningSetup, RunVariant } from "./learning-setup.js";
import { type RunFilePaths, runFilePaths } from "./run-files.js";

/** A checkpoint read back and checked against its run's files: where a resumed aggregator starts. */
export interface ResumePoint {
  /** The --out directory of the run, and its checkpoint file. */
  readonly dir: string;
  readonly path: string;
  readonly checkpoint: AggregatorCheckpoint;
  /** The files of the run under way (rounds.jsonl already cut back to the checkpoint). */
  readonly files: RunFilePaths;
  /** Its rounds 1..checkpoint round, read back from rounds.jsonl. */
  readonly events: readonly RoundEvent[];
  /** Bytes cut from the end of rounds.jsonl: rounds logged after the checkpoint was saved. */
  readonly cutBytes: number;
  /**
   * The checkpoint's run is over and its summary written (a crash between two runs): the
   * aggregator goes on with the next run.
   */
  readonly finished: boolean;
}

/**
 * Reads DIR/checkpoint.json and prepares DIR for the run to go on: rounds.jsonl is cut back to
 * the length the checkpoint recorded (a round logged after the checkpoint, or half a line, is
 * run and logged again), so it ends up with every round once. Throws a CheckpointError naming
 * the file when the checkpoint is missing, corrupt, or does not fit rounds.jsonl, and when the
 * aggregator's runs are all finished already.
 */
export async function loadResumePoint(dir: string): Promise<ResumePoint> {
  const path = checkpointPathOf(dir);
  const value = await readCheckpointFile(path);
  let checkpoint: AggregatorCheckpoint;
  try {
    checkpoint = asCheckpoint(value);
  } catch (e) {
    throw new CheckpointError(path, `The checkpoint ${path} is corrupt: ${messageOf(e)}`);
  }
  const { plan, run, log, engine } = checkpoint;
  const files = runFilePaths(dir, run.run, plan.runs === 1);
  const finished = engine.controller.plan === null && isWholeSummary(files.summary);
  if (finished && plan.runs !== 0 && run.run >= plan.runs) {
    throw new CheckpointError(
      path,
      `Nothing to resume in ${dir}: the checkpoint ${path} is after the last round of the last run (${run.runId}), whose summary is written`,
    );
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(files.rounds);
  } catch (e) {
    throw new CheckpointError(
      path,
      `Cannot resume from ${path}: its run's event log ${files.rounds} cannot be read (${messageOf(e)})`,
    );
  }
  if (bytes.length < log.bytes) {
    throw new CheckpointError(
      path,
      `Cannot resume from ${path}: ${files.rounds} has ${bytes.length} bytes, fewer than the ${log.bytes} the checkpoint recorded (the log was cut or replaced)`,
    );
  }
  const kept = bytes.subarray(0, log.bytes).toString("utf8");
  const events = parseEvents(kept, files.rounds, path);
  if (events.length !== log.lines) {
    throw new CheckpointError(
      path,
      `Cannot resume from ${path}: the first ${log.bytes} bytes of ${files.rounds} hold ${events.length} rounds, the checkpoint recorded ${log.lines}`,
    );
  }
  const rounds = events.map((e) => e.round);
  if (rounds.some((r, i) => r !== i + 1)) {
    throw new CheckpointError(
      path,
      `Cannot resume from ${path}: ${files.rounds} does not hold rounds 1..${log.lines} in order`,
    );
  }
  const cutBytes = bytes.length - log.bytes;
  if (cutBytes > 0) await truncate(files.rounds, log.bytes);
  return { dir, path, checkpoint, files, events, cutBytes, finished };
}

/** What an aggregator is asked to run, as far as a resume must match it. */
export interface ResumedRuns {
  readonly setup: LearningSetup;
  readonly runs: number;
  readonly nodes: number;
  readonly variants?: readonly RunVariant[];
}

/**
 * Throws a CheckpointError naming the file when `runs` is not what the checkpoint's aggregator
 * ran: another setup, number of runs or of nodes, other variants.
 */
export function checkResumeFits(point: ResumePoint, runs: ResumedRuns): void {
  const plan = point.checkpoint.plan;
  const diffs = setupDifferences(runs.setup, plan.setup);
  if (runs.runs !== plan.runs)
    diffs.push(`runs: ${runs.runs} here, ${plan.runs} in the checkpoint`);
  if (runs.nodes !== plan.nodes) {
    diffs.push(`nodes: ${runs.nodes} here, ${plan.nodes} in the checkpoint`);
  }
  const a = canonical(runs.variants ?? []);
  const b = canonical(plan.variants);
  if (a !== b) diffs.push(`variants: ${a} here, ${b} in the checkpoint`);
  if (diffs.length > 0) {
    throw new CheckpointError(
      point.path,
      `The checkpoint ${point.path} is from another setup (${diffs.join("; ")}): resume with the same settings, or start a new run in another --out directory`,
    );
  }
}

function parseEvents(text: string, file: string, path: string): RoundEvent[] {
  if (text.length === 0) return [];
  if (!text.endsWith("\n")) {
    throw new CheckpointError(
      path,
      `Cannot resume from ${path}: ${file} does not end a line where the checkpoint says`,
    );
  }
  return text
    .slice(0, -1)
    .split("\n")
    .map((line, i) => {
      try {
        return JSON.parse(line) as RoundEvent;
      } catch {
        throw new CheckpointError(
          path,
          `Cannot resume from ${path}: line ${i + 1} of ${file} is not JSON`,
        );
      }
    });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Whether a run's summary.json is there and whole: written atomically, after weights.json, it
 * marks a finished run; an empty or cut file (an older fedtau, a full disk) does not.
 */
function isWholeSummary(path: string): boolean {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}
