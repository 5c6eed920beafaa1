import type { Round, Tau } from "../units.js";
import type { TauSearchResult } from "./tau-search.js";

/** Adaptive tau (section 3), or tau held at a fixed value. */
export type TauMode = "adaptive" | Tau;

/** Why the next round got its tau. */
export type TauReason =
  | "first-rounds"
  | "search"
  | "no-estimates"
  | "fixed"
  | "nan-fallback"
  | "resume";

export interface TauChoice {
  /** tau_new, before the budget rule. */
  readonly tau: Tau;
  /** The tau to go back to after a NaN fallback round; null when none is pending. */
  readonly resume: Tau | null;
  readonly reason: TauReason;
  /** The search behind an adaptive choice, else null. */
  readonly search: TauSearchResult | null;
}

export interface TauChoiceInput {
  readonly mode: TauMode;
  /** The round just run, and its tau. */
  readonly round: Round;
  readonly tau: Tau;
  /** The round's aggregate was not finite: the previous global weights were kept. */
  readonly fallback: boolean;
  /** A pending tau to go back to (from the state). */
  readonly resume: Tau | null;
  /** The first round after which tau is searched (default 2: the paper's first estimates). */
  readonly firstSearchRound?: Round;
  /** The tau search with tauPrev, or null when estimates or costs are missing. */
  readonly search: (tauPrev: Tau) => TauSearchResult | null;
}

/** The tau of round 1: 1 when adaptive (no estimates yet), else the fixed tau. */
export function firstTau(mode: TauMode): Tau {
  return mode === "adaptive" ? 1 : mode;
}

/**
 * tau_new for the next round. A non-finite aggregate makes the next round a tau = 1 round, after
 * which the run goes back to the tau it had. Adaptive: rounds 1 and 2 use tau 1 (beta_i, rho_i
 * need the point where a node ended the round before, so the first estimates come with round 2),
 * then the search, whose range 1 .. 10 tauPrev lets tau grow at most tenfold per round.
 */
export function chooseTau(input: TauChoiceInput): TauChoice {
  const { mode, round, tau, resume } = input;
  if (input.fallback) {
    // A fallback round that fails again keeps the tau from before the first failure.
    return { tau: 1, resume: resume ?? tau, reason: "nan-fallback", search: null };
  }
  if (resume !== null) return { tau: resume, resume: null, reason: "resume", search: null };
  if (mode !== "adaptive") return { tau: mode, resume: null, reason: "fixed", search: null };
  if (round < (input.firstSearchRound ?? 2)) {
    return { tau: 1, resume: null, reason: "first-rounds", search: null };
  }
  const search = input.search(tau);
  if (search === null) return { tau, resume: null, reason: "no-estimates", search: null };
  return { tau: search.tau, resume: null, reason: "search", search };
}
