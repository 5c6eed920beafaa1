import type { RoundCost } from "../control/round-cost.js";
import type { RoundReport } from "../train/round-report.js";
import type { Seconds, Tau } from "../units.js";

/** What the engine knows of a finished round when it asks for its cost. */
export interface RoundCostInput {
  readonly round: number;
  readonly tau: Tau;
  readonly reports: readonly RoundReport[];
  /** Wall time from sending the first order to having every report, measured by the engine's clock. */
  readonly wallSeconds: Seconds;
  /** Bytes the transport sent and received in this round, when it counts them. */
  readonly bytes?: number;
  /**
   * Set only when every node of the round ran in this process (the simulator's links): the
   * seconds their calls kept the process busy, summed over the nodes and the largest one. Those
   * nodes ran one after another, so wallSeconds holds the sum of their computation where a real
   * system, whose nodes run side by side, would wait only for the slowest.
   */
  readonly inProcess?: InProcessTimes;
}

/** How long a round's in-process node calls kept this process busy (see RoundCostInput). */
export interface InProcessTimes {
  readonly totalSeconds: Seconds;
  readonly slowestSeconds: Seconds;
}

/**
 * Where the costs of a round come from: measured (wall time and the nodes' local times, as on a
 * real system) or simulated (a seeded cost model, for experiments that give the same numbers on
 * every machine).
 */
export interface CostSource {
  readonly kind: "measured" | "simulated";
  roundCost(input: RoundCostInput): RoundCost;
}
