import type { RoundReport } from "../train/round-report.js";
import type { NodeId, ResourceAmount, ResourceName, Round, Tau } from "../units.js";
import {
  BudgetLedger,
  type BudgetLedgerState,
  type BudgetPlan,
  type ResourceCosts,
  type ResourceTable,
} from "./budget-ledger.js";
import { type ControlMode, type ControlRules, controlRules } from "./control-mode.js";
import type { ControlInput, ControlOutput, SearchRecord } from "./control-record.js";
import {
  aggregateEstimates,
  noEstimates,
  type SmoothedEstimates,
  smoothEstimates,
} from "./estimates.js";
import { type MinLossState, MinLossTracker } from "./min-loss.js";
import { planRemaining } from "./remaining-plan.js";
import type { RoundCost } from "./round-cost.js";
import { firstPlan, nextPlan, type RoundPlan } from "./round-plan.js";
import { explainTau } from "./tau-change.js";
import { chooseTau, firstTau, type TauChoice, type TauMode } from "./tau-policy.js";
import { searchTau, type TauSearchResult } from "./tau-search.js";

export interface ControllerConfig {
  /** How adaptive tau is controlled: "fedtau" or the paper's exact rules (control-mode.ts). */
  readonly control: ControlMode;
  /** Step size. */
  readonly eta: number;
  /** Control parameter of the bound. */
  readonly phi: number;
  /** Moving-average weight of the estimates (0: latest values). */
  readonly gamma: number;
  readonly tauMode: TauMode;
  readonly tauMax: Tau;
  readonly useMinLoss: boolean;
  /** Total budget per resource; "time" needed for adaptive tau. */
  readonly budget: Readonly<Partial<Record<ResourceName, ResourceAmount>>>;
  /** Full rounds at most; null for no limit. */
  readonly maxRounds: number | null;
}

/** Everything the controller knows, as plain JSON-safe data: a checkpoint stores this. */
export interface ControllerState {
  readonly version: 1;
  /** The round to run next; null once the run is over. */
  readonly plan: RoundPlan | null;
  /** The tau to go back to after a NaN fallback round. */
  readonly resume: Tau | null;
  readonly estimates: SmoothedEstimates;
  readonly ledger: BudgetLedgerState;
  readonly minLoss: MinLossState;
  /** The nodes that reported in the latest round with reports (absent: none yet). */
  readonly reporters?: readonly NodeId[];
  /** The inputs of the latest tau decision, to say what moved at the next one. */
  readonly lastSearch?: SearchRecord | null;
}

/** What the engine learnt from the round just run (the one of `controller.plan`). */
export interface RoundFacts {
  /** w(t0): the global weights the round started from. */
  readonly startWeights: Float64Array;
  /** The valid reports only (finite numbers, right lengths). */
  readonly reports: readonly RoundReport[];
  /** True when the aggregate was not finite and the previous global weights were kept. */
  readonly fallback: boolean;
  readonly cost: RoundCost;
  /** The nodes whose reports these are, in the same order (default: unnamed). */
  readonly reporters?: readonly NodeId[];
  /** The nodes asked that timed out or disconnected: the round waited for them. */
  readonly lost?: readonly NodeId[];
}

/** A decision from the recorded inputs alone (`decide`): what replay checks. */
export interface ControlDecision {
  /** The smoothed estimates the search used (the round's own are in input.fresh). */
  readonly estimates: SmoothedEstimates;
  /** max tauDone over the reports (0 without reports). */
  readonly tauDone: Tau;
  /** How tau_new was chosen; null when the next round is forced (evaluation) or none follows. */
  readonly tauChoice: TauChoice | null;
  readonly budget: BudgetPlan | null;
  /** The next round, or null: the run is over. */
  readonly next: RoundPlan | null;
  /** The decision's inputs and outcome, as recorded in rounds.jsonl. */
  readonly input: ControlInput;
  readonly output: ControlOutput;
}

/** A decision with what the min-loss rule learnt of the round (afterRound). */
export interface RoundDecision extends ControlDecision {
  /** D-weighted lossAtGlobal: F(w(t0)). */
  readonly lossAtStart: number | null;
  readonly bestLoss: number | null;
}

export type Decided<D> =
  | { readonly ok: true; readonly decision: D }
  | { readonly ok: false; readonly message: string };

export type AfterRound = Decided<RoundDecision>;

/**
 * The aggregator's control (docs/algorithm.md sections 2-4): estimates, tau search, budget ledger,
 * min-loss tracker and the stopping rule, round after round. It decides; the round engine talks
 * to nodes and aggregates.
 */
export class Controller {
  private readonly config: ControllerConfig;
  private readonly rules: ControlRules;
  private current: RoundPlan | null;
  private resume: Tau | null;
  private smoothed: SmoothedEstimates;
  private readonly ledger: BudgetLedger;
  private readonly minLoss: MinLossTracker;
  private reporters: readonly NodeId[] | null;
  private lastSearch: SearchRecord | null;

  private constructor(config: ControllerConfig, state: ControllerState) {
    this.config = config;
    this.rules = controlRules(config.control);
    this.current = state.plan;
    this.resume = state.resume;
    this.smoothed = state.estimates;
    this.ledger = BudgetLedger.restore(state.ledger, this.rules.costEstimate);
    this.minLoss = new MinLossTracker(state.minLoss);
    this.reporters = state.reporters ?? null;
    this.lastSearch = state.lastSearch ?? null;
  }

  static create(config: ControllerConfig): Controller {
    const fresh = BudgetLedger.create(config.budget, controlRules(config.control).costEstimate);
    return new Controller(config, {
      version: 1,
      plan: firstPlan(firstTau(config.tauMode), config),
      resume: null,
      estimates: noEstimates,
      ledger: fresh.snapshot(),
      minLoss: new MinLossTracker().snapshot(),
    });
  }

  static restore(config: ControllerConfig, state: ControllerState): Controller {
    if (state.version !== 1) {
      throw new RangeError(`Cannot restore a controller: unknown state version ${state.version}`);
    }
    return new Controller(config, state);
  }

  /** The round to run next; null once the run is over. */
  get plan(): RoundPlan | null {
    return this.current;
  }

  /** For the next order: the previous round's starting weights are the best (min-loss rule). */
  get prevGlobalWasBest(): boolean {
    return this.config.useMinLoss && this.minLoss.prevGlobalWasBest;
  }

  get estimates(): SmoothedEstimates {
    return this.smoothed;
  }

  get bestLoss(): number | null {
    return this.minLoss.bestLossSeen;
  }

  /** The global weights with the least loss seen (a copy), or null before any report. */
  bestWeights(): Float64Array | null {
    return this.minLoss.bestWeights();
  }

  spent(): ResourceTable<ResourceAmount> {
    return this.ledger.spent();
  }

  budgets(): ResourceTable<ResourceAmount> {
    return this.ledger.budgets();
  }

  costs(): ResourceTable<ResourceCosts> {
    return this.ledger.costs();
  }

  /** Books the round of `plan` and decides the next one. Changes nothing when it fails. */
  afterRound(facts: RoundFacts): AfterRound {
    const ran = this.current;
    if (ran === null) return { ok: false, message: "The run is over: no round was planned" };
    const input = controlInputOf(ran.round, facts);
    const decided = this.decide(input);
    if (!decided.ok) return decided;
    const seen = this.minLoss.observe(ran.round, facts.startWeights, facts.reports);
    return {
      ok: true,
      decision: {
        ...decided.decision,
        lossAtStart: seen.lossAtStart,
        bestLoss: seen.bestLoss,
      },
    };
  }

  /**
   * The decision half of afterRound, from the recorded inputs alone (no weights, no gradients):
   * what `fedtau replay` runs. Changes nothing when it fails.
   */
  decide(input: ControlInput): Decided<ControlDecision> {
    const ran = this.current;
    if (ran === null) return { ok: false, message: "The run is over: no round was planned" };
    if (input.round !== ran.round) {
      return {
        ok: false,
        message: `Round ${input.round} was recorded, but the controller planned round ${ran.round}`,
      };
    }
    const { rules, config } = this;
    const reporters = input.nodes.map((n) => n.id);
    const nodesChanged =
      this.reporters !== null && reporters.length > 0 && !sameSet(this.reporters, reporters);
    const booked = this.ledger.record(input.cost, input.tauDone, {
      sampleAggregation: !(rules.skipLostRounds && input.lost.length > 0),
      restartLocal: rules.costEstimate === "robust" && nodesChanged,
    });
    if (!booked.ok) return { ok: false, message: `Round ${ran.round}: ${booked.message}` };
    const before = this.reporters;
    if (reporters.length > 0) this.reporters = reporters;

    this.smoothed = smoothEstimates(
      this.smoothed,
      { ...input.fresh, globalGradient: null },
      config.gamma,
    );

    let tauChoice: TauChoice | null = null;
    let budget: BudgetPlan | null = null;
    const searched: { record: SearchRecord | null } = { record: null };
    let next: RoundPlan | null;
    if (ran.lastRound || ran.kind === "last-full") {
      // Nothing to choose: the run ends, or the evaluation-only round (tau 1) follows.
      next = nextPlan(ran, { tau: 1, lastFull: true, binding: null }, config);
    } else {
      tauChoice = chooseTau({
        mode: config.tauMode,
        round: ran.round,
        tau: ran.tau,
        fallback: input.fallback,
        resume: this.resume,
        firstSearchRound: rules.firstSearchRound,
        search: (tauPrev) => {
          const s = this.search(tauPrev);
          searched.record = s;
          if (s === null) return null;
          const tau = Math.max(1, Math.min(s.argmin, config.tauMax));
          return { tau, argmin: s.argmin, objective: s.objective };
        },
      });
      this.resume = tauChoice.resume;
      // The NaN fallback round (tau 1) and the round after it keep the paper's rule.
      const planned = tauChoice.reason === "search" || tauChoice.reason === "fixed";
      budget =
        rules.splitRemaining && planned
          ? this.planRemaining(tauChoice.tau)
          : this.ledger.plan(tauChoice.tau, config.useMinLoss);
      next = nextPlan(ran, budget, config);
    }
    this.current = next;

    const search = searched.record;
    const change = explainTau({
      ran,
      next,
      reason: tauChoice?.reason ?? null,
      searchTau: tauChoice?.tau ?? null,
      budget,
      previous: this.lastSearch,
      search,
      nodes: { before, now: reporters, lost: input.lost },
    });
    if (search !== null) this.lastSearch = search;

    return {
      ok: true,
      decision: {
        estimates: this.smoothed,
        tauDone: input.tauDone,
        tauChoice,
        budget,
        next,
        input,
        output: {
          tau: next?.tau ?? null,
          kind: next?.kind ?? null,
          search,
          binding: budget?.binding ?? null,
          change,
        },
      },
    };
  }

  snapshot(): ControllerState {
    return {
      version: 1,
      plan: this.current,
      resume: this.resume,
      estimates: this.smoothed,
      ledger: this.ledger.snapshot(),
      minLoss: this.minLoss.snapshot(),
      reporters: this.reporters === null ? undefined : [...this.reporters],
      lastSearch: this.lastSearch,
    };
  }

  private search(tauPrev: Tau): SearchRecord | null {
    const { beta, rho, delta } = this.smoothed;
    if (beta === null || rho === null || delta === null) return null;
    const plan = this.ledger.planCosts();
    if (plan.length === 0) return null;
    // R_m is the total budget, as in the paper: planning T(tau) from what remains made tau grow
    // as the budget ran down and measured worse (docs/algorithm.md section 7).
    const resources = plan.map((a) => ({ name: a.name, budget: a.budget, c: a.c, b: a.b }));
    const { eta, phi, useMinLoss, tauMax } = this.config;
    const lastCandidate = this.rules.growthLimit ? 10 * Math.max(1, Math.floor(tauPrev)) : tauMax;
    const found: TauSearchResult = searchTau({
      beta,
      delta,
      rho,
      eta,
      phi,
      resources,
      useMinLoss,
      tauPrev,
      tauMax,
      lastCandidate,
    });
    return {
      beta,
      delta,
      rho,
      eta,
      phi,
      useMinLoss,
      resources,
      lastCandidate,
      argmin: found.argmin,
      objective: found.objective,
    };
  }

  private planRemaining(tau: Tau): BudgetPlan {
    return planRemaining({
      resources: this.ledger.planCosts(),
      tau,
      useMinLoss: this.config.useMinLoss,
    });
  }
}

/** The recorded inputs of a decision, from the engine's facts of the round. */
export function controlInputOf(round: Round, facts: RoundFacts): ControlInput {
  let tauDone = 0;
  for (const r of facts.reports) tauDone = Math.max(tauDone, r.tauDone);
  const fresh = aggregateEstimates(facts.reports);
  return {
    round,
    tauDone,
    fallback: facts.fallback,
    fresh: { beta: fresh.beta, rho: fresh.rho, delta: fresh.delta },
    cost: facts.cost,
    nodes: facts.reports.map((r, i) => ({
      id: facts.reporters?.[i] ?? `#${i + 1}`,
      localSeconds: r.localSeconds,
      tauDone: r.tauDone,
    })),
    lost: facts.lost ?? [],
  };
}

function sameSet(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
