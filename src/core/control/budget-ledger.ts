import type { ResourceAmount, ResourceName, Tau } from "../units.js";
import { addCostSample, type CostSamples, robustCost } from "./cost-estimate.js";
import type { ResourceUse, RoundCost } from "./round-cost.js";
import type { ResourceLimit } from "./tau-search.js";

/**
 * Which c_m and b_m the plans use: the latest round's ("latest", the paper's rule), or a robust
 * estimate over recent rounds ("robust", see cost-estimate.ts).
 */
export type CostEstimate = "latest" | "robust";

/** One resource's account: plain data, so that a checkpoint can keep it. */
export interface ResourceAccount {
  readonly name: ResourceName;
  /** R_m, the total budget; null for a resource that is only counted. */
  readonly budget: ResourceAmount | null;
  /** s_m: spent so far, sum of c_m tau_actual + b_m over the rounds. */
  readonly spent: ResourceAmount;
  /** The latest c_m (one local update) and b_m (one aggregation); null before the first round. */
  readonly c: ResourceAmount | null;
  readonly b: ResourceAmount | null;
  /** Recent samples of c_m and b_m for the robust estimate (absent: none yet). */
  readonly cSamples?: CostSamples;
  readonly bSamples?: CostSamples;
}

export interface BudgetLedgerState {
  readonly accounts: readonly ResourceAccount[];
}

/** What the budget allows for the next round. */
export interface BudgetPlan {
  /** tau_new, or less when the next round is the last full one. */
  readonly tau: Tau;
  /** True when some resource would overrun after the next round: it is the last full one. */
  readonly lastFull: boolean;
  /** The resource that set tau when lastFull (the tightest), else null. */
  readonly binding: ResourceName | null;
  /**
   * Not even one update fits: the round just run was the last full one and the evaluation-only
   * round comes next (never set by the paper's rule, which then runs one more round of tau 1).
   */
  readonly evaluateNow?: boolean;
}

/** A per-update and per-aggregation cost of a resource; null before it is known. */
export interface ResourceCosts {
  readonly c: ResourceAmount | null;
  readonly b: ResourceAmount | null;
}

/** Values per resource, keyed by ResourceName ("time", "bytes", ...). */
export type ResourceTable<T> = Readonly<Record<string, T>>;

export type RecordResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** How a round's costs enter the estimates (they are always booked as spent). */
export interface RecordOptions {
  /**
   * False when the round's aggregation part measured something else than an aggregation, e.g.
   * waiting for a node that was lost: it is spent, but not a sample of b_m.
   */
  readonly sampleAggregation?: boolean;
  /** True when the set of reporting nodes changed: the samples of c_m start again. */
  readonly restartLocal?: boolean;
}

/** A budgeted resource as the plans see it: what is left of it and what a round costs. */
export interface ResourcePlanCosts {
  readonly name: ResourceName;
  readonly budget: ResourceAmount;
  readonly spent: ResourceAmount;
  readonly c: ResourceAmount;
  readonly b: ResourceAmount;
}

/**
 * For one resource, the tau of the next round if it must be the last full one, or null when
 * tau_new fits (docs/algorithm.md section 4). With the min-loss rule one more aggregation and one
 * more update are set aside for the evaluation-only round:
 *   fits when s + c (tau_new + 1) + 2b < R, else tau = floor((R - s - 2b - c) / c);
 * without it: fits when s + c tau_new + b < R, else tau = floor((R - s - b) / c).
 * The tau returned is clamped to [1, tau_new].
 */
export function lastFullTau(
  account: {
    readonly budget: number;
    readonly spent: number;
    readonly c: number;
    readonly b: number;
  },
  tauNew: Tau,
  useMinLoss: boolean,
): Tau | null {
  const { budget: R, spent: s, c, b } = account;
  const need = useMinLoss ? s + c * (tauNew + 1) + 2 * b : s + c * tauNew + b;
  if (need < R) return null;
  // c = 0: more updates cost nothing, yet the aggregations alone overrun: one update is all.
  const tau = c > 0 ? Math.floor((useMinLoss ? R - s - 2 * b - c : R - s - b) / c) : 1;
  return Math.min(Math.max(tau, 1), tauNew);
}

/**
 * The resources of a run (time always; bytes, energy... as configured): what each has spent,
 * its latest c_m and b_m, and the stopping rule applied with the tightest of them.
 */
export class BudgetLedger {
  private accounts: ResourceAccount[];
  private readonly estimate: CostEstimate;

  private constructor(accounts: ResourceAccount[], estimate: CostEstimate) {
    this.accounts = accounts;
    this.estimate = estimate;
  }

  /** A fresh ledger; "time" is always counted, budgeted or not. */
  static create(
    budget: Readonly<Partial<Record<ResourceName, ResourceAmount>>>,
    estimate: CostEstimate = "latest",
  ): BudgetLedger {
    const names = new Set<ResourceName>(["time", ...Object.keys(budget)]);
    return new BudgetLedger(
      [...names].map((name) => ({
        name,
        budget: budget[name] ?? null,
        spent: 0,
        c: null,
        b: null,
      })),
      estimate,
    );
  }

  static restore(state: BudgetLedgerState, estimate: CostEstimate = "latest"): BudgetLedger {
    return new BudgetLedger(
      state.accounts.map((a) => ({ ...a })),
      estimate,
    );
  }

  snapshot(): BudgetLedgerState {
    return { accounts: this.accounts.map((a) => ({ ...a })) };
  }

  /**
   * Books one round: c_m = local / tauDone, b_m = aggregation, s_m += local + aggregation.
   * A round without reports (tauDone 0) tells nothing of c_m: the latest one is kept.
   * Negative amounts (clock skew) count as 0. Every budgeted resource needs a cost; a resource
   * the cost source adds later is counted from then on.
   */
  record(cost: RoundCost, tauDone: Tau, options: RecordOptions = {}): RecordResult {
    for (const a of this.accounts) {
      if (a.budget !== null && cost[a.name] === undefined) {
        return {
          ok: false,
          message: `The cost source gave no "${a.name}" cost, yet the run has a "${a.name}" budget`,
        };
      }
    }
    // Entries the cost source left undefined count as absent.
    const uses = Object.entries(cost).filter((e): e is [string, ResourceUse] => e[1] !== undefined);
    for (const [name, use] of uses) {
      if (!Number.isFinite(use.local) || !Number.isFinite(use.aggregation)) {
        return {
          ok: false,
          message: `The cost source gave a "${name}" cost that is not a finite number: local ${use.local}, aggregation ${use.aggregation}`,
        };
      }
    }
    for (const [name, use] of uses) {
      const local = Math.max(0, use.local);
      const aggregation = Math.max(0, use.aggregation);
      const i = this.accounts.findIndex((a) => a.name === name);
      const old = i >= 0 ? this.accounts[i] : { name, budget: null, spent: 0, c: null, b: null };
      const c = tauDone > 0 ? local / tauDone : null;
      const next: ResourceAccount = {
        ...old,
        spent: old.spent + local + aggregation,
        c: c ?? old.c,
        b: aggregation,
      };
      if (this.estimate === "robust") {
        const cBase = options.restartLocal === true ? [] : (old.cSamples ?? []);
        const cSamples = c === null ? cBase : addCostSample(cBase, c);
        const bSamples =
          options.sampleAggregation === false
            ? (old.bSamples ?? [])
            : addCostSample(old.bSamples ?? [], aggregation);
        Object.assign(next, { cSamples, bSamples });
      }
      if (i >= 0) this.accounts[i] = next;
      else this.accounts.push(next);
    }
    return { ok: true };
  }

  /** The stopping rule of section 4 for the next round, with the tightest resource deciding. */
  plan(tauNew: Tau, useMinLoss: boolean): BudgetPlan {
    let tau = tauNew;
    let binding: ResourceName | null = null;
    for (const a of this.planCosts()) {
      const t = lastFullTau(a, tauNew, useMinLoss);
      if (t === null) continue;
      if (binding === null || t < tau) {
        tau = t;
        binding = a.name;
      }
    }
    return { tau, lastFull: binding !== null, binding };
  }

  /** The budgeted resources with known costs, for T(tau) of the tau search. */
  limits(): ResourceLimit[] {
    return this.planCosts().map((a) => ({ budget: a.budget, c: a.c, b: a.b }));
  }

  /** The budgeted resources with known costs, with the c_m and b_m the plans use. */
  planCosts(): ResourcePlanCosts[] {
    const out: ResourcePlanCosts[] = [];
    for (const a of this.accounts) {
      if (a.budget === null || a.c === null || a.b === null) continue;
      const robust = this.estimate === "robust";
      const c = (robust ? robustCost(a.cSamples ?? []) : null) ?? a.c;
      const b = (robust ? robustCost(a.bSamples ?? []) : null) ?? a.b;
      out.push({ name: a.name, budget: a.budget, spent: a.spent, c, b });
    }
    return out;
  }

  /** Spent per resource. */
  spent(): ResourceTable<ResourceAmount> {
    return Object.fromEntries(this.accounts.map((a) => [a.name, a.spent]));
  }

  /** Budget per budgeted resource. */
  budgets(): ResourceTable<ResourceAmount> {
    const out: Record<string, ResourceAmount> = {};
    for (const a of this.accounts) if (a.budget !== null) out[a.name] = a.budget;
    return out;
  }

  /** The latest measured c_m and b_m per resource (null before any round). */
  costs(): ResourceTable<ResourceCosts> {
    return Object.fromEntries(this.accounts.map((a) => [a.name, { c: a.c, b: a.b }]));
  }
}
