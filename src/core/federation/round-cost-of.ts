import type { ResourceUse, RoundCost } from "../control/round-cost.js";

/**
 * A round's cost: its time, plus a "bytes" resource when the transport counted bytes (all of
 * them aggregation: local updates send nothing).
 */
export function roundCostOf(time: ResourceUse, bytes: number | undefined): RoundCost {
  return bytes === undefined ? { time } : { time, bytes: { local: 0, aggregation: bytes } };
}
