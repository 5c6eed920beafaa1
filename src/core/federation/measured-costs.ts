import type { RoundCost } from "../control/round-cost.js";
import type { CostSource, RoundCostInput } from "./cost-source.js";
import { roundCostOf } from "./round-cost-of.js";

/**
 * Costs as a real system measures them (docs/algorithm.md section 2): for "time", the round's local
 * part is the slowest node's localSeconds and the aggregation part b is the rest of the round's
 * wall time (transfer, waiting, averaging), never below 0. When the transport counts bytes, a
 * "bytes" resource is added: all of them spent on aggregation (local updates send nothing).
 *
 * When every node ran in this process (input.inProcess, the simulator), the nodes ran one after
 * another, and the wall time holds all their computation: b would count the other nodes' local
 * updates and grow with tau. The round is then timed as the networked aggregator would time
 * parallel nodes: what was not a node call (the engine's own work) plus the slowest node call.
 */
export function measuredCosts(): CostSource {
  return {
    kind: "measured",
    roundCost(input: RoundCostInput): RoundCost {
      let local = 0;
      for (const r of input.reports) local = Math.max(local, r.localSeconds);
      const time = { local, aggregation: Math.max(0, parallelWallSeconds(input) - local) };
      return roundCostOf(time, input.bytes);
    },
  };
}

/** The round's wall time as parallel nodes would give it (see measuredCosts). */
function parallelWallSeconds(input: RoundCostInput): number {
  const p = input.inProcess;
  if (p === undefined) return input.wallSeconds;
  return input.wallSeconds - p.totalSeconds + p.slowestSeconds;
}
