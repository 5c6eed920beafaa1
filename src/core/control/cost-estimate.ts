import type { ResourceAmount } from "../units.js";

/**
 * The recent per-round samples of one cost (c_m or b_m of one resource), plain data so that a
 * checkpoint keeps it. Newest last.
 */
export type CostSamples = readonly ResourceAmount[];

/** How many recent rounds a cost estimate looks at. */
export const COST_WINDOW = 9;

/**
 * A level shift: the latest two samples both lie beyond this factor of the estimate from the
 * samples before them, on the same side. One outlier never triggers it.
 */
export const SHIFT_FACTOR = 1.5;

/**
 * The cost to plan with from recent samples: the interquartile mean (round(n/4) samples dropped
 * at each end; the median for 3), so that one near-zero draw or one round that waited for a lost
 * node does not swing tau, while a real change of level shows within two rounds.
 * Null without samples.
 */
export function robustCost(samples: CostSamples): ResourceAmount | null {
  const n = samples.length;
  if (n === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const cut = n >= 3 ? Math.round(n / 4) : 0;
  let sum = 0;
  for (let i = cut; i < n - cut; i++) sum += sorted[i];
  return sum / (n - 2 * cut);
}

/**
 * The samples after one more round: appended, the window kept to COST_WINDOW, and cut back to
 * the latest two when they show a level shift (both beyond SHIFT_FACTOR of the estimate from the
 * samples before them, on the same side), so the estimate follows a changed link at once.
 */
export function addCostSample(samples: CostSamples, value: ResourceAmount): CostSamples {
  const next = [...samples, value].slice(-COST_WINDOW);
  if (next.length < 4) return next;
  const before = robustCost(next.slice(0, -2));
  if (before === null || !(before > 0)) return next;
  const [a, b] = next.slice(-2);
  const up = a > before * SHIFT_FACTOR && b > before * SHIFT_FACTOR;
  const down = a < before / SHIFT_FACTOR && b < before / SHIFT_FACTOR;
  return up || down ? [a, b] : next;
}
