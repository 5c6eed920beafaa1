import type { RunHeader } from "./wire-types.js";

/**
 * A run as one holder keeps it: its header and its rounds in a container of the holder's own
 * (a bounded list of round events on the server, chart columns on the page).
 */
export interface HeldRun<Rounds> extends RunHeader {
  endedAt: number | null;
  endReason: string | null;
  readonly rounds: Rounds;
}

/** The header fields of a run, copied (a held run's, a record's, a wire run's). */
export function runHeader(run: RunHeader): RunHeader {
  const { id, setup, startedAt, endedAt, endReason } = run;
  return { id, setup, startedAt, endedAt, endReason };
}

/**
 * The current run and the one before it (the page draws it faint behind): the one way every
 * holder of the dashboard's state folds run-start, round and run-end. Shared by the server's
 * StateBook and the page's PageStore (browser-safe: no imports but types).
 */
export class RunPair<Rounds extends { push(round: never): void }> {
  current: HeldRun<Rounds> | null = null;
  previous: HeldRun<Rounds> | null = null;

  /** A new current run (a different run becomes the previous one); returns it. */
  start(header: RunHeader, rounds: Rounds): HeldRun<Rounds> {
    const run: HeldRun<Rounds> = { ...runHeader(header), rounds };
    if (this.current !== null && this.current.id !== run.id) this.previous = this.current;
    this.current = run;
    return run;
  }

  /** Puts back a previous run (from a snapshot). */
  restorePrevious(header: RunHeader, rounds: Rounds): void {
    this.previous = { ...runHeader(header), rounds };
  }

  /** The current run when it is `runId`, else null (a change about another run is stale). */
  running(runId: string): HeldRun<Rounds> | null {
    return this.current !== null && this.current.id === runId ? this.current : null;
  }

  /** Marks the current run `runId` ended; false when it is not the current run. */
  end(runId: string, at: number, reason: string): boolean {
    const run = this.running(runId);
    if (run === null) return false;
    run.endedAt = at;
    run.endReason = reason;
    return true;
  }
}
