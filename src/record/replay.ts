import type { ControlOutput } from "../core/control/control-record.js";
import { Controller } from "../core/control/controller.js";
import {
  findRecords,
  type RecordedRound,
  type RecordProblem,
  type RunRecordRead,
  readRunRecord,
} from "./read-record.js";

/** One run replayed: how many of its decisions the controller made again, and the first it did not. */
export interface RunReplay {
  readonly dir: string;
  /** "adaptive tau, fedtau control", "tau 5, paper control". */
  readonly mode: string;
  readonly decisions: number;
  readonly reproduced: number;
  /** E.g. `round 7: recorded tau 12, replayed tau 11`; null when every decision was reproduced. */
  readonly firstDifference: string | null;
}

/**
 * Feeds a fresh `Controller.create(config)` the recorded inputs round by round and checks each
 * decision against the recorded one: the next tau (control.output.tau, and the event's nextTau),
 * the next round's kind, the change text. A decision that differs leaves the controller on its
 * own course: later decisions are still checked (and a tampered output shows as one difference).
 * Should the controller refuse an input, that round and every later one count as not reproduced.
 */
export function replayRun(record: RunRecordRead): RunReplay {
  const { config, rounds } = record;
  const controller = Controller.create(config);
  let reproduced = 0;
  let first: string | null = null;
  for (const r of rounds) {
    let output: ControlOutput;
    try {
      const d = controller.decide(r.input);
      if (!d.ok) {
        first ??= `round ${r.round}: the controller refused the recorded input: ${d.message}`;
        break;
      }
      output = d.decision.output;
    } catch (e) {
      first ??= `round ${r.round}: the controller failed on the recorded input: ${messageOf(e)}`;
      break;
    }
    const why = differenceOf(r, output);
    if (why === null) reproduced++;
    else first ??= `round ${r.round}: ${why}`;
  }
  const tau = config.tauMode === "adaptive" ? "adaptive tau" : `tau ${config.tauMode}`;
  return {
    dir: record.dir,
    mode: `${tau}, ${config.control} control`,
    decisions: rounds.length,
    reproduced,
    firstDifference: first,
  };
}

const tauText = (t: number | null | undefined): string =>
  t === null || t === undefined ? "none" : String(t);

/** How a replayed decision differs from the recorded one, or null when it does not. */
function differenceOf(recorded: RecordedRound, replayed: ControlOutput): string | null {
  const was = recorded.output;
  if (was.tau !== replayed.tau) {
    return `recorded tau ${tauText(was.tau)}, replayed tau ${tauText(replayed.tau)}`;
  }
  if (recorded.nextTau !== undefined && recorded.nextTau !== replayed.tau) {
    return `recorded tau ${tauText(recorded.nextTau)}, replayed tau ${tauText(replayed.tau)}`;
  }
  if (was.kind !== replayed.kind) {
    return `recorded kind ${was.kind ?? "none"}, replayed kind ${replayed.kind ?? "none"}`;
  }
  if (was.change.text !== replayed.change.text) {
    return `recorded change "${was.change.text}", replayed "${replayed.change.text}"`;
  }
  return null;
}

/** `fedtau replay DIR`: every run under DIR, replayed; or the problems that stop it. */
export type DirectoryReplay =
  | {
      readonly ok: true;
      readonly runs: readonly RunReplay[];
      readonly decisions: number;
      readonly reproduced: number;
    }
  | { readonly ok: false; readonly problems: readonly RecordProblem[] };

/**
 * Finds every recorded run at or below `dir` and replays each. When a record cannot be read
 * (a malformed line, a missing controller.json, an event without its control record), nothing
 * is replayed and every such problem is returned, one per run.
 */
export function replayDirectory(dir: string): DirectoryReplay {
  const found = findRecords(dir);
  if (!found.ok) return { ok: false, problems: [found.problem] };
  const records: RunRecordRead[] = [];
  const problems: RecordProblem[] = [];
  for (const d of found.value) {
    const r = readRunRecord(d);
    if (r.ok) records.push(r.value);
    else problems.push(r.problem);
  }
  if (problems.length > 0) return { ok: false, problems };
  const runs = records.map(replayRun);
  return {
    ok: true,
    runs,
    decisions: runs.reduce((n, r) => n + r.decisions, 0),
    reproduced: runs.reduce((n, r) => n + r.reproduced, 0),
  };
}

/** The lines `fedtau replay` prints: one per run, then the total. */
export function replayLines(replay: Extract<DirectoryReplay, { ok: true }>): string[] {
  const lines = replay.runs.map((r) =>
    r.firstDifference === null
      ? `run ${r.dir}: ${r.reproduced} of ${r.decisions} tau decisions reproduced (${r.mode})`
      : `run ${r.dir}: ${r.firstDifference}`,
  );
  lines.push(`${replay.reproduced} of ${replay.decisions} tau decisions reproduced`);
  return lines;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
