import type { TauMode } from "../core/control/tau-policy.js";
import { bindingResource } from "../core/federation/binding-resource.js";
import type { BudgetTable } from "../core/federation/budget.js";
import type { RunResult } from "../core/federation/run-result.js";
import type { Evaluation } from "../core/models/model.js";
import type { NodeId } from "../core/units.js";
import type { RunId } from "../protocol/index.js";
import { budgetOf, type LearningSetup } from "./learning-setup.js";

/** One node of a run, as summary.json lists it. */
export interface NodeSummary {
  /** `name` in summary.json since its first version; elsewhere a node's field is `id`. */
  readonly name: NodeId;
  readonly nodeIndex: number;
  /** D_i from its Ready (0 if it never got ready). */
  readonly dataSize: number;
  /** Rounds whose average took its report, and rounds it was left out of. */
  readonly roundsReported: number;
  readonly roundsFailed: number;
}

/** summary.json: what a run gave. */
export interface RunSummary {
  readonly runId: RunId;
  /** 1, 2, ... within this aggregator. */
  readonly run: number;
  readonly status: RunResult["status"];
  readonly error: string | null;
  readonly setup: {
    readonly model: string;
    readonly dataset: string;
    readonly task: string;
    readonly case: number;
    readonly tau: TauMode;
    readonly sgd: number | null;
    readonly eta: number;
    readonly phi: number;
    readonly seed: number;
    readonly rounds: number | null;
  };
  /** The returned model's loss on the whole training set (as `fedtau experiment`'s finalLoss). */
  readonly finalLoss: number | null;
  /** The least D-weighted loss the nodes reported (min-loss rule). */
  readonly reportedLoss: number | null;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
  /** Rounds run, the evaluation-only round included. */
  readonly rounds: number;
  readonly iterations: number;
  /** sum tau^2 / sum tau, as the authors report it. */
  readonly meanTau: number;
  /**
   * Budget per budgeted resource: "time" (measured seconds), "bytes" (sent and received by the
   * aggregator); null: none, with --rounds and fixed tau.
   */
  readonly budget: Readonly<Record<string, number>> | null;
  /** Spent per resource: time (measured seconds) and bytes, budgeted or not. */
  readonly spent: Readonly<Record<string, number>>;
  /**
   * What ended the run: the resource whose budget bound ("time", "bytes") or "rounds" (the
   * --rounds limit); null for a run that did not complete.
   */
  readonly binding: string | null;
  readonly estimates: {
    readonly beta: number | null;
    readonly rho: number | null;
    readonly delta: number | null;
  };
  readonly nodes: readonly NodeSummary[];
  readonly startedAt: string;
  readonly wallSeconds: number;
}

export interface SummaryInput {
  readonly runId: RunId;
  readonly run: number;
  readonly setup: LearningSetup;
  readonly result: RunResult;
  readonly nodes: readonly { readonly id: NodeId; readonly dataSize: number }[];
  readonly test: Evaluation | null;
  readonly trainLoss: number | null;
  readonly startedAt: Date;
  readonly wallSeconds: number;
}

export function runSummary(input: SummaryInput): RunSummary {
  const { setup, result } = input;
  // Over every round: result.events keeps only the latest of a long run.
  const counts = new Map(Object.entries(result.nodeRounds));
  const finite = (v: number | null | undefined): number | null =>
    v !== null && v !== undefined && Number.isFinite(v) ? v : null;
  return {
    runId: input.runId,
    run: input.run,
    status: result.status,
    error: result.error?.message ?? null,
    setup: {
      model: setup.model.kind,
      dataset: setup.dataset,
      task: setup.task,
      case: setup.case,
      tau: setup.tau,
      sgd: setup.sgd ?? null,
      eta: setup.eta,
      phi: setup.phi,
      seed: setup.seed,
      rounds: setup.rounds ?? null,
    },
    finalLoss: finite(input.trainLoss),
    reportedLoss: finite(result.bestLoss),
    testLoss: finite(input.test?.loss),
    testAccuracy: finite(input.test?.accuracy),
    rounds: result.rounds,
    iterations: result.iterations,
    meanTau: result.meanTau,
    budget: budgetRecord(budgetOf(setup)),
    spent: { ...result.spent },
    binding: result.status === "completed" ? bindingResource(result.events, setup.rounds) : null,
    estimates: {
      beta: finite(result.estimates.beta),
      rho: finite(result.estimates.rho),
      delta: finite(result.estimates.delta),
    },
    nodes: input.nodes.map((n, i) => ({
      name: n.id,
      nodeIndex: i,
      dataSize: n.dataSize,
      roundsReported: counts.get(n.id)?.reported ?? 0,
      roundsFailed: counts.get(n.id)?.failed ?? 0,
    })),
    startedAt: input.startedAt.toISOString(),
    wallSeconds: input.wallSeconds,
  };
}

/** The budget as summary.json writes it: the amounts given, or null without any. */
function budgetRecord(table: BudgetTable | undefined): Record<string, number> | null {
  if (table === undefined) return null;
  const out: Record<string, number> = {};
  for (const [name, amount] of Object.entries(table)) if (amount !== undefined) out[name] = amount;
  return out;
}
