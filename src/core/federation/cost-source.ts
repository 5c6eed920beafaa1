import type { RoundReport } from "../train/round-report.js";
import type { ResourceAmount, ResourceName, Seconds, Tau } from "../units.js";

/** What one round consumed of one resource, split as the controller needs it. */
export interface ResourceUse {
  /** Spent on the tau local updates (the slowest node's, for time). c = local / tauDone. */
  readonly local: ResourceAmount;
  /** Spent on the aggregation: transfer, waiting, averaging. This is b. */
  readonly aggregation: ResourceAmount;
}

/** Per resource: "time" always, others (e.g. "bytes") when they are counted. */
export type RoundCost = { readonly time: ResourceUse } & {
  readonly [name in ResourceName]?: ResourceUse;
};

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

/** A monotonic clock in seconds (performance.now in Node and browsers; fake in tests). */
export interface Clock {
  now(): Seconds;
}

export const performanceClock: Clock = { now: () => performance.now() / 1000 };
