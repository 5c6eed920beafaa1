import type { NodeId, ResourceName, Tau } from "../units.js";
import type { BudgetPlan } from "./budget-ledger.js";
import type { SearchRecord, TauCause, TauChange } from "./control-record.js";
import type { RoundPlan } from "./round-plan.js";
import type { TauReason } from "./tau-policy.js";

export interface TauChangeInput {
  /** The round just run. */
  readonly ran: RoundPlan;
  readonly next: RoundPlan | null;
  readonly reason: TauReason | null;
  /** tau_new before the budget had its say (null when the round was forced). */
  readonly searchTau: Tau | null;
  readonly budget: BudgetPlan | null;
  /** The search of the previous decision and of this one. */
  readonly previous: SearchRecord | null;
  readonly search: SearchRecord | null;
  readonly nodes: {
    readonly before: readonly NodeId[] | null;
    readonly now: readonly NodeId[];
    readonly lost: readonly NodeId[];
  };
}

const num = (v: number): string => String(Number(v.toPrecision(3)));

/** The inputs of a search that can move tau, by name, with their values. */
function inputsOf(s: SearchRecord): Map<string, { cause: TauCause; value: number }> {
  const out = new Map<string, { cause: TauCause; value: number }>([
    ["beta", { cause: "estimates", value: s.beta }],
    ["delta", { cause: "estimates", value: s.delta }],
    ["rho", { cause: "estimates", value: s.rho }],
  ]);
  for (const r of s.resources) {
    out.set(`c (${r.name})`, { cause: "costs", value: r.c });
    out.set(`b (${r.name})`, { cause: "costs", value: r.b });
  }
  return out;
}

/** The input that moved most (by ratio) between two searches, or null when none moved. */
function biggestMove(
  previous: SearchRecord,
  search: SearchRecord,
): { name: string; cause: TauCause; from: number; to: number } | null {
  const before = inputsOf(previous);
  let best: { name: string; cause: TauCause; from: number; to: number; size: number } | null = null;
  for (const [name, { cause, value }] of inputsOf(search)) {
    const old = before.get(name);
    if (old === undefined || !(old.value > 0) || !(value > 0)) continue;
    const size = Math.abs(Math.log(value / old.value));
    if (best === null || size > best.size) best = { name, cause, from: old.value, to: value, size };
  }
  return best === null || best.size === 0 ? null : best;
}

function nodeChange(n: TauChangeInput["nodes"]): string | null {
  if (n.before === null || n.now.length === 0) return null;
  const now = new Set(n.now);
  const was = new Set(n.before);
  const left = n.before.filter((id) => !now.has(id));
  const joined = n.now.filter((id) => !was.has(id));
  if (left.length === 0 && joined.length === 0) return null;
  const parts: string[] = [];
  if (left.length > 0) {
    const lost = left.filter((id) => n.lost.includes(id));
    parts.push(`${left.join(", ")} left${lost.length > 0 ? " (lost)" : ""}`);
  }
  if (joined.length > 0) parts.push(`${joined.join(", ")} joined`);
  return `nodes changed: ${parts.join("; ")}, ${n.now.length} reporting`;
}

function binds(binding: ResourceName | null): string {
  return binding === null ? "" : ` (${binding} binds)`;
}

/**
 * Says why the next round's tau is what it is, naming what moved: the estimates, a cost, the
 * budget, the nodes, a NaN fallback. Pure: the same inputs give the same line, so a replay
 * reproduces it.
 */
export function explainTau(i: TauChangeInput): TauChange {
  const { ran, next } = i;
  if (next === null) return { cause: "end", text: "the run is over" };
  const head = `tau ${ran.tau} -> ${next.tau}`;
  if (next.kind === "evaluation") {
    return {
      cause: "budget",
      text: `${head}: budget spent; one evaluation-only round measures the loss of the last weights`,
    };
  }
  switch (i.reason) {
    case "nan-fallback":
      return {
        cause: "nan-fallback",
        text: `${head}: the aggregate was not finite; one round of tau 1 from the previous weights`,
      };
    case "resume":
      return { cause: "resume", text: `${head}: back to the tau before the NaN fallback round` };
    case "fixed":
      return next.kind === "last-full"
        ? { cause: "budget", text: `${head}: budget nearly spent, the last full round` }
        : { cause: "fixed", text: `${head}: fixed tau` };
    case "first-rounds":
      return { cause: "first-rounds", text: `${head}: tau 1 until the first estimates arrive` };
    case "no-estimates":
      return { cause: "no-estimates", text: `${head}: no estimates or costs yet` };
    default:
      break;
  }
  if (next.kind === "last-full") {
    return {
      cause: "budget",
      text: `${head}: budget nearly spent, the last full round takes what is left${binds(i.budget?.binding ?? null)}`,
    };
  }
  const nodes = nodeChange(i.nodes);
  if (nodes !== null) return { cause: "nodes", text: `${head}: ${nodes}` };
  const s = i.search;
  if (s === null) return { cause: "unchanged", text: `${head}` };
  if (i.searchTau !== null && i.searchTau !== next.tau) {
    return {
      cause: "budget",
      text: `${head}: the bound's choice ${i.searchTau}, spread to fill the rounds the budget has left`,
    };
  }
  if (i.previous === null) {
    const costs = s.resources.map((r) => `c ${num(r.c)}, b ${num(r.b)} (${r.name})`).join("; ");
    return {
      cause: "start",
      text: `${head}: first estimates beta ${num(s.beta)}, delta ${num(s.delta)}, rho ${num(s.rho)}; ${costs}`,
    };
  }
  if (ran.tau === next.tau) return { cause: "unchanged", text: `${head}: unchanged` };
  const move = biggestMove(i.previous, s);
  if (move === null) return { cause: "budget", text: `${head}: less budget left` };
  return { cause: move.cause, text: `${head}: ${move.name} ${num(move.from)} -> ${num(move.to)}` };
}
