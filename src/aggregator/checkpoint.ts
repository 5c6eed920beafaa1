import { join } from "node:path";
import type { TauMode } from "../core/control/tau-policy.js";
import type { EngineSnapshot } from "../core/federation/engine-snapshot.js";
import type { NodeId } from "../core/units.js";
import type { RunId } from "../protocol/index.js";
import type { LearningSetup } from "./learning-setup.js";

/** The checkpoint's name in the aggregator's --out directory. */
export const CHECKPOINT_FILE = "checkpoint.json";

export function checkpointPathOf(out: string): string {
  return join(out, CHECKPOINT_FILE);
}

/** What changes from one run to the next (as aggregator.ts's RunVariant). */
export interface CheckpointVariant {
  readonly case: LearningSetup["case"];
  readonly tau: TauMode;
}

/** How the aggregator was started: a resume must run the same runs. */
export interface CheckpointPlan {
  readonly nodes: number;
  readonly minNodes: number | null;
  readonly runs: number;
  /** The setup of the runs to come (after any updateSetup). */
  readonly setup: LearningSetup;
  readonly variants: readonly CheckpointVariant[];
  /** Run ids are `${idPrefix}-${k}`. */
  readonly idPrefix: string;
}

/** The run under way. */
export interface CheckpointRun {
  /** 1, 2, ... within the aggregator. */
  readonly run: number;
  readonly runId: RunId;
  readonly setup: LearningSetup;
  /** Node names in node-index order: node i gets data part i, as in the run's Setups. */
  readonly participants: readonly NodeId[];
  readonly startedAt: string;
  /** Wall seconds the run had taken up to this checkpoint. */
  readonly wallSeconds: number;
  /** Full rounds run (not the evaluation-only round). */
  readonly fullRounds: number;
  /** The latest measured c and b (for the round deadlines). */
  readonly costs: { readonly c: number | null; readonly b: number | null };
  /** D_i of each participant that said Ready (for summary.json). */
  readonly dataSizes: Readonly<Record<NodeId, number>>;
}

/** rounds.jsonl as it was when the checkpoint was taken: the rounds after it are cut on resume. */
export interface CheckpointLog {
  readonly bytes: number;
  readonly lines: number;
}

/** DIR/checkpoint.json: everything `fedtau aggregator --resume DIR` needs to go on. */
export interface AggregatorCheckpoint {
  readonly savedAt: string;
  readonly plan: CheckpointPlan;
  readonly run: CheckpointRun;
  readonly log: CheckpointLog;
  readonly engine: EngineSnapshot;
}

/**
 * Checks a decoded checkpoint's shape; returns it typed, or throws an Error listing what is
 * missing or wrong.
 */
export function asCheckpoint(value: unknown): AggregatorCheckpoint {
  const problems: string[] = [];
  const obj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const need = (v: unknown, where: string, test: (x: unknown) => boolean, what: string) => {
    if (!test(v)) problems.push(`${where} must be ${what}`);
  };
  const int = (min: number) => (x: unknown) => Number.isInteger(x) && (x as number) >= min;
  const str = (x: unknown) => typeof x === "string" && x.length > 0;
  const numOrNull = (x: unknown) => x === null || typeof x === "number";
  if (!obj(value)) throw new Error("its body is not an object");
  const { plan, run, log, engine } = value;
  if (!obj(plan)) problems.push("plan must be an object");
  else {
    need(plan.nodes, "plan.nodes", int(1), "an integer >= 1");
    need(plan.minNodes, "plan.minNodes", (x) => x === null || int(1)(x), "null or an integer >= 1");
    need(plan.runs, "plan.runs", int(0), "an integer >= 0");
    need(plan.setup, "plan.setup", obj, "an object");
    need(plan.variants, "plan.variants", Array.isArray, "an array");
    need(plan.idPrefix, "plan.idPrefix", str, "a string");
  }
  if (!obj(run)) problems.push("run must be an object");
  else {
    need(run.run, "run.run", int(1), "an integer >= 1");
    need(run.runId, "run.runId", str, "a string");
    need(run.setup, "run.setup", obj, "an object");
    need(
      run.participants,
      "run.participants",
      (x) => Array.isArray(x) && x.length > 0 && x.every(str),
      "a list of node names",
    );
    need(run.startedAt, "run.startedAt", str, "a date");
    need(run.wallSeconds, "run.wallSeconds", (x) => typeof x === "number" && x >= 0, "seconds");
    need(run.fullRounds, "run.fullRounds", int(0), "an integer >= 0");
    need(run.dataSizes, "run.dataSizes", obj, "an object");
    need(
      run.costs,
      "run.costs",
      (x) => obj(x) && numOrNull(x.c) && numOrNull(x.b),
      "{ c, b } (numbers or null)",
    );
  }
  if (!obj(log)) problems.push("log must be an object");
  else {
    need(log.bytes, "log.bytes", int(0), "an integer >= 0");
    need(log.lines, "log.lines", int(0), "an integer >= 0");
  }
  if (!obj(engine)) problems.push("engine must be an object");
  else {
    need(engine.round, "engine.round", int(1), "an integer >= 1");
    need(engine.weights, "engine.weights", (x) => x instanceof Float64Array, "float64 weights");
    need(engine.controller, "engine.controller", obj, "the controller's state");
  }
  if (problems.length === 0 && (log as CheckpointLog).lines !== (engine as EngineSnapshot).round) {
    problems.push(
      `log.lines (${(log as CheckpointLog).lines}) must equal engine.round (${(engine as EngineSnapshot).round})`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  return value as unknown as AggregatorCheckpoint;
}

/**
 * The fields in which two setups differ, as "name: A here, B in the checkpoint" phrases (empty
 * when they are the same setup).
 */
export function setupDifferences(here: LearningSetup, saved: LearningSetup): string[] {
  const keys: (keyof LearningSetup)[] = [
    "model",
    "dataset",
    "task",
    "case",
    "tau",
    "sgd",
    "eta",
    "phi",
    "seed",
    "budget",
    "rounds",
  ];
  const out: string[] = [];
  for (const k of keys) {
    const a = canonical(here[k]);
    const b = canonical(saved[k]);
    if (a !== b) out.push(`${k}: ${a ?? "none"} here, ${b ?? "none"} in the checkpoint`);
  }
  return out;
}

/** JSON with sorted keys (undefined stays undefined): equal values give equal text. */
export function canonical(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === "object" && x !== null && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : x,
  );
}
