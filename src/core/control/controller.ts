import type { RoundCost } from "../federation/cost-source.js";
import type { RoundReport } from "../train/round-report.js";
import type { ResourceAmount, ResourceName, Tau } from "../units.js";
import {
  BudgetLedger,
  type BudgetLedgerState,
  type BudgetPlan,
  type ResourceCosts,
  type ResourceTable,
} from "./budget-ledger.js";
import {
  aggregateEstimates,
  noEstimates,
  type RoundEstimates,
  type SmoothedEstimates,
  smoothEstimates,
} from "./estimates.js";
import { type MinLossState, MinLossTracker } from "./min-loss.js";
import { firstPlan, nextPlan, type RoundPlan } from "./round-plan.js";
import { chooseTau, firstTau, type TauChoice, type TauMode } from "./tau-policy.js";
import { searchTau, type TauSearchResult } from "./tau-search.js";

export interface ControllerConfig {
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
}

export interface RoundDecision {
  /** The round's own estimates, and the smoothed ones the search used. */
  readonly fresh: RoundEstimates;
  readonly estimates: SmoothedEstimates;
  /** D-weighted lossAtGlobal: F(w(t0)). */
  readonly lossAtStart: number | null;
  readonly bestLoss: number | null;
  /** max tauDone over the reports (0 without reports). */
  readonly tauDone: Tau;
  /** How tau_new was chosen; null when the next round is forced (evaluation) or none follows. */
  readonly tauChoice: TauChoice | null;
  readonly budget: BudgetPlan | null;
  /** The next round, or null: the run is over. */
  readonly next: RoundPlan | null;
}

export type AfterRound =
  | { readonly ok: true; readonly decision: RoundDecision }
  | { readonly ok: false; readonly message: string };

/**
 * The aggregator's control (algorithm.md sections 2-4): estimates, tau search, budget ledger,
 * min-loss tracker and the stopping rule, round after round. It decides; the round engine talks
 * to nodes and aggregates.
 */
export class Controller {
  private readonly config: ControllerConfig;
  private current: RoundPlan | null;
  private resume: Tau | null;
  private smoothed: SmoothedEstimates;
  private readonly ledger: BudgetLedger;
  private readonly minLoss: MinLossTracker;

  private constructor(config: ControllerConfig, state: ControllerState) {
    this.config = config;
    this.current = state.plan;
    this.resume = state.resume;
    this.smoothed = state.estimates;
    this.ledger = BudgetLedger.restore(state.ledger);
    this.minLoss = new MinLossTracker(state.minLoss);
  }

  static create(config: ControllerConfig): Controller {
    const fresh = BudgetLedger.create(config.budget);
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
    let tauDone = 0;
    for (const r of facts.reports) tauDone = Math.max(tauDone, r.tauDone);

    const booked = this.ledger.record(facts.cost, tauDone);
    if (!booked.ok) return { ok: false, message: `Round ${ran.round}: ${booked.message}` };

    const seen = this.minLoss.observe(ran.round, facts.startWeights, facts.reports);
    const fresh = aggregateEstimates(facts.reports);
    this.smoothed = smoothEstimates(this.smoothed, fresh, this.config.gamma);

    let tauChoice: TauChoice | null = null;
    let budget: BudgetPlan | null = null;
    let next: RoundPlan | null;
    if (ran.lastRound || ran.kind === "last-full") {
      // Nothing to choose: the run ends, or the evaluation-only round (tau 1) follows.
      next = nextPlan(ran, { tau: 1, lastFull: true, binding: null }, this.config);
    } else {
      tauChoice = chooseTau({
        mode: this.config.tauMode,
        round: ran.round,
        tau: ran.tau,
        fallback: facts.fallback,
        resume: this.resume,
        search: (tauPrev) => this.search(tauPrev),
      });
      this.resume = tauChoice.resume;
      budget = this.ledger.plan(tauChoice.tau, this.config.useMinLoss);
      next = nextPlan(ran, budget, this.config);
    }
    this.current = next;

    return {
      ok: true,
      decision: {
        fresh,
        estimates: this.smoothed,
        lossAtStart: seen.lossAtStart,
        bestLoss: seen.bestLoss,
        tauDone,
        tauChoice,
        budget,
        next,
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
    };
  }

  private search(tauPrev: Tau): TauSearchResult | null {
    const { beta, rho, delta } = this.smoothed;
    if (beta === null || rho === null || delta === null) return null;
    const resources = this.ledger.limits();
    if (resources.length === 0) return null;
    const { eta, phi, useMinLoss, tauMax } = this.config;
    return searchTau({ beta, delta, rho, eta, phi, resources, useMinLoss, tauPrev, tauMax });
  }
}
