import type { NodeId, ResourceName, Round, Tau } from "../units.js";
import type { RoundCost } from "./round-cost.js";
import type { RoundPlan } from "./round-plan.js";
import type { ResourceLimit } from "./tau-search.js";

/**
 * Everything a tau decision is made from, as plain JSON-safe data: rounds.jsonl records it with
 * every round, and `fedtau replay` feeds it back to a fresh controller to check each decision.
 */
export interface ControlInput {
  /** The round just run. */
  readonly round: Round;
  /** The most local updates any reporting node did (0 without reports). */
  readonly tauDone: Tau;
  readonly fallback: boolean;
  /** The round's own estimates, before smoothing (null where no node gave one). */
  readonly fresh: {
    readonly beta: number | null;
    readonly rho: number | null;
    readonly delta: number | null;
  };
  /** What the round cost, per resource. */
  readonly cost: RoundCost;
  /** Per reporting node: its local seconds and updates (the slowest sets c). */
  readonly nodes: readonly {
    readonly id: NodeId;
    readonly localSeconds: number;
    readonly tauDone: Tau;
  }[];
  /** The nodes the round waited for in vain. */
  readonly lost: readonly NodeId[];
}

/** The search behind a decision: its parameters (the bound can be redrawn from them) and result. */
export interface SearchRecord {
  readonly beta: number;
  readonly delta: number;
  readonly rho: number;
  readonly eta: number;
  readonly phi: number;
  readonly useMinLoss: boolean;
  /** Per budgeted resource: the R_m, c_m and b_m the search used. */
  readonly resources: readonly (ResourceLimit & { readonly name: ResourceName })[];
  /** Candidates 1 .. lastCandidate. */
  readonly lastCandidate: Tau;
  readonly argmin: Tau;
  readonly objective: number | null;
}

/** What was decided after a round, and why: the other half of the round's record. */
export interface ControlOutput {
  /** The next round's tau and kind; null when the run is over. */
  readonly tau: Tau | null;
  readonly kind: RoundPlan["kind"] | null;
  readonly search: SearchRecord | null;
  /** The resource that made the next round the last full one (or shortened it), else null. */
  readonly binding: ResourceName | null;
  readonly change: TauChange;
}

/** What made the next round's tau what it is. */
export type TauCause =
  | "start"
  | "estimates"
  | "costs"
  | "budget"
  | "nodes"
  | "nan-fallback"
  | "resume"
  | "fixed"
  | "first-rounds"
  | "no-estimates"
  | "unchanged"
  | "end";

/** Why the next tau was chosen: a cause and one line for the log, the dashboard and rounds.jsonl. */
export interface TauChange {
  readonly cause: TauCause;
  /** E.g. `tau 10 -> 31: b (time) 0.131 -> 1.31`. */
  readonly text: string;
}
