import type { ResourceAmount, ResourceName } from "../units.js";

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
