import type { CostSource, RoundCost, RoundCostInput } from "./cost-source.js";
import { roundCostOf } from "./round-cost-of.js";

/**
 * Costs as a real system measures them (algorithm.md section 2): for "time", the round's local
 * part is the slowest node's localSeconds and the aggregation part b is the rest of the round's
 * wall time (transfer, waiting, averaging), never below 0. When the transport counts bytes, a
 * "bytes" resource is added: all of them spent on aggregation (local updates send nothing).
 */
export function measuredCosts(): CostSource {
  return {
    kind: "measured",
    roundCost(input: RoundCostInput): RoundCost {
      let local = 0;
      for (const r of input.reports) local = Math.max(local, r.localSeconds);
      const time = { local, aggregation: Math.max(0, input.wallSeconds - local) };
      return roundCostOf(time, input.bytes);
    },
  };
}
