import type { Seconds, Tau } from "../core/units.js";

/** How long the aggregator waits for a node's round result. */
export interface DeadlinePolicy {
  /** Never wait less than this (ms): a round's first local updates may be slow (JIT, GC). */
  readonly floorMs: number;
  /** Never wait more than this (ms): `--round-timeout`. */
  readonly capMs: number;
  /** The deadline is this multiple of the expected round time (default 5). */
  readonly multiple: number;
}

export const DEFAULT_DEADLINE_FLOOR_MS = 2000;
export const DEFAULT_ROUND_TIMEOUT_MS = 60_000;
export const DEFAULT_DEADLINE_MULTIPLE = 5;

/** What the deadline of one node's round is computed from. */
export interface DeadlineInput {
  readonly tau: Tau;
  /** The latest measured c (one local update, slowest node) and b; null before round 1's end. */
  readonly c: Seconds | null;
  readonly b: Seconds | null;
  /** The delay added to this node's messages (each way), in ms. */
  readonly addedDelayMs: number;
}

/**
 * A round's deadline for one node, from the measured costs: `multiple` times the expected round
 * time (c tau + b) plus the added delay of both directions, at least the floor and at most the
 * cap. Before any cost is known (round 1) it is the cap. Whole milliseconds.
 */
export function roundDeadlineMs(input: DeadlineInput, policy: DeadlinePolicy): number {
  const { floorMs, capMs, multiple } = policy;
  if (input.c === null || input.b === null) return Math.round(capMs);
  const expectedMs = (input.c * input.tau + input.b) * 1000;
  const ms = multiple * expectedMs + 2 * input.addedDelayMs;
  if (!Number.isFinite(ms)) return Math.round(capMs);
  return Math.round(Math.min(capMs, Math.max(floorMs, ms)));
}
