import type { NodeId } from "../core/units.js";
import type { ChangeSignal } from "./change-signal.js";

/** How long a resumed run waits for all its nodes to reconnect before going on without some. */
export const DEFAULT_RESUME_WAIT_MS = 30_000;

export interface ParticipantWait {
  /** The names connected now. */
  readonly connected: () => readonly NodeId[];
  readonly changes: ChangeSignal;
  readonly signal: AbortSignal;
  readonly waitMs: number;
  readonly note: (level: "info" | "warn", text: string) => void;
}

/**
 * Waits for the nodes of a resumed run (they reconnect by themselves, with back-off): until all
 * are connected, or `waitMs` has passed and at least one is (the others rejoin when they come).
 * Resolves false when the aggregator is closed meanwhile.
 */
export async function waitForParticipants(
  names: readonly NodeId[],
  w: ParticipantWait,
): Promise<boolean> {
  const present = () => new Set(w.connected());
  const missing = () => {
    const p = present();
    return names.filter((n) => !p.has(n));
  };
  if (missing().length > 0) {
    w.note(
      "info",
      `resuming: waiting for the run's ${names.length} nodes to reconnect (${names.join(", ")})`,
    );
  }
  await w.changes.until(() => missing().length === 0, w.waitMs, w.signal);
  while (missing().length === names.length) {
    if (w.signal.aborted) return false;
    await w.changes.until(() => missing().length < names.length, 60_000, w.signal);
  }
  if (w.signal.aborted) return false;
  const gone = missing();
  if (gone.length > 0) {
    w.note(
      "warn",
      `resuming without ${gone.join(", ")} for now: they rejoin the run when they reconnect`,
    );
  }
  return true;
}
