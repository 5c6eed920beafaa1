import type { CostEstimate } from "./budget-ledger.js";

/**
 * How adaptive tau is controlled. "paper": exactly the rules of Wang et al. (the authors' code;
 * docs/algorithm.md section 3), kept so that the paper's comparison stays reproducible.
 * "fedtau" (the default): the same bound, planned for what the budget has left (section 7 of
 * docs/algorithm.md says what differs and why).
 */
export type ControlMode = "fedtau" | "paper";

export const CONTROL_MODES: readonly ControlMode[] = ["fedtau", "paper"];
export const DEFAULT_CONTROL: ControlMode = "fedtau";

/** Every rule that differs between the two modes, in one place. */
export interface ControlRules {
  /** The first round after which tau is searched (the paper: 2, its first estimates). */
  readonly firstSearchRound: number;
  /** Candidates 1 .. 10 tauPrev (the paper's growth limit) or 1 .. tauMax. */
  readonly growthLimit: boolean;
  /** c and b from the latest round (the paper) or a robust estimate over recent rounds. */
  readonly costEstimate: CostEstimate;
  /** The stopping rule alone (the paper), or the remaining budget split into whole rounds. */
  readonly splitRemaining: boolean;
  /** Rounds that lost a node give no sample of b (they measured a wait, not an aggregation). */
  readonly skipLostRounds: boolean;
}

export function controlRules(mode: ControlMode): ControlRules {
  return mode === "paper"
    ? {
        firstSearchRound: 2,
        growthLimit: true,
        costEstimate: "latest",
        splitRemaining: false,
        skipLostRounds: false,
      }
    : {
        firstSearchRound: 1,
        growthLimit: false,
        costEstimate: "robust",
        splitRemaining: true,
        skipLostRounds: true,
      };
}

/** What a node does differently under each mode (the trainer's side of the same choice). */
export interface NodeTrainingRules {
  /**
   * Keep a round's last minibatch for the next round's first update. The paper: adaptive runs
   * only (it serves beta_i), fixed tau draws a fresh one; fedtau: the same for both, so that a
   * measured comparison gives neither more updates for the same time.
   */
  readonly carryOver: boolean;
  /**
   * Report beta_i, rho_i already in a node's first round, from the round's own start and end
   * points, so the search can start after round 1; and, under SGD, a second gradient at w(t0)
   * on an independent minibatch, so the aggregator can take the minibatch noise out of delta.
   */
  readonly firstRoundEstimates: boolean;
  readonly gradientNoise: boolean;
}

export function nodeTrainingRules(mode: ControlMode, adaptive: boolean): NodeTrainingRules {
  if (mode === "paper") {
    return { carryOver: adaptive, firstRoundEstimates: false, gradientNoise: false };
  }
  return { carryOver: true, firstRoundEstimates: adaptive, gradientNoise: adaptive };
}
