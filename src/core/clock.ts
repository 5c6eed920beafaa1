import type { Seconds } from "./units.js";

/** A monotonic clock in seconds (performance.now in Node and browsers; fake in tests). */
export interface Clock {
  now(): Seconds;
}

export const performanceClock: Clock = { now: () => performance.now() / 1000 };
