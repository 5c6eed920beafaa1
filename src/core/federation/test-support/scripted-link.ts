import type { RoundCost } from "../../control/round-cost.js";
import type { RoundOrder, RoundReport } from "../../train/round-report.js";
import type { CostSource, RoundCostInput } from "../cost-source.js";
import type { NodeLink, RoundOutcome, RunEnd } from "../link.js";

/** What a scripted node answers to one order: a report (filled in by `report`), or a raw outcome. */
export type Script = (
  order: RoundOrder,
  link: ScriptedLink,
) => RoundOutcome | Promise<RoundOutcome>;

/** A fake node for engine tests: records the orders it got and answers from a script. */
export class ScriptedLink implements NodeLink {
  readonly orders: RoundOrder[] = [];
  readonly stops: RunEnd[] = [];

  constructor(
    readonly id: string,
    readonly dataSize: number,
    private readonly script: Script,
  ) {}

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    this.orders.push({ ...order, weights: order.weights.slice() });
    return this.script(order, this);
  }

  async stop(end: RunEnd): Promise<void> {
    this.stops.push(end);
  }
}

export interface NodeBehaviour {
  /** Added to every weight once per local update. */
  readonly step?: number;
  readonly lossAtGlobal?: (order: RoundOrder) => number;
  /** The gradient at the global weights (default all `gradient`). */
  readonly gradient?: number;
  readonly beta?: number;
  readonly rho?: number;
}

/**
 * A plain, well-formed report: weights moved by `step` per update, tauDone = tau, beta and rho
 * from round 2 on, lossAtBest once the node has been told of a best start.
 */
export function report(order: RoundOrder, link: ScriptedLink, b: NodeBehaviour = {}): RoundReport {
  const step = b.step ?? 0.5;
  const weights = order.weights.map((w) => w + step * order.tau);
  const loss = b.lossAtGlobal?.(order) ?? 1;
  return {
    round: order.round,
    weights,
    tauDone: order.tau,
    localSeconds: 0,
    dataSize: link.dataSize,
    lossAtGlobal: loss,
    gradAtGlobal: new Float64Array(order.weights.length).fill(b.gradient ?? 0.1),
    ...(order.round >= 2 && { beta: b.beta ?? 1, rho: b.rho ?? 1 }),
  };
}

export const answer =
  (b: NodeBehaviour = {}): Script =>
  (order, link) => ({ ok: true, report: report(order, link, b) });

/** Costs of c per local update (of the slowest node) and b per aggregation; bytes passed through. */
export function fixedCosts(
  c: number,
  b: number,
): CostSource & { readonly inputs: RoundCostInput[] } {
  const inputs: RoundCostInput[] = [];
  return {
    kind: "simulated",
    inputs,
    roundCost(input: RoundCostInput): RoundCost {
      inputs.push(input);
      let tauDone = 0;
      for (const r of input.reports) tauDone = Math.max(tauDone, r.tauDone);
      const time = { local: c * tauDone, aggregation: b };
      return input.bytes === undefined
        ? { time }
        : { time, bytes: { local: 0, aggregation: input.bytes } };
    },
  };
}

/** A clock that stands still: wall times are 0, tests never depend on real time. */
export const frozenClock = { now: () => 0 };
