import type { ControlInput } from "../core/control/control-record.js";
import type { RoundCost } from "../core/control/round-cost.js";
import { Rng } from "../core/data/rng.js";
import type { CostSource, RoundCostInput } from "../core/federation/cost-source.js";
import { roundCostOf } from "../core/federation/round-cost-of.js";
import type { NodeId, Seconds } from "../core/units.js";

/** What a recorded run measured, as samples to draw a simulated run's costs from. */
export interface RecordedCostSamples {
  /**
   * Per recorded node, in the order they first reported: its seconds per local update
   * (localSeconds / tauDone) in every round it reported in.
   */
  readonly nodes: readonly { readonly id: NodeId; readonly perStep: readonly Seconds[] }[];
  /** b (the aggregation's seconds) of every round that had a report and lost no node. */
  readonly aggregation: readonly Seconds[];
}

export type RecordedSamples =
  | { readonly ok: true; readonly samples: RecordedCostSamples }
  | { readonly ok: false; readonly message: string };

const usable = (v: number): boolean => Number.isFinite(v) && v >= 0;

/**
 * The samples of a run's recorded control inputs (RoundEvent.control.input, round by round).
 * A round that lost a node gives no sample of b: its aggregation time is mostly the wait for the
 * lost node, not an aggregation (as the fedtau controller treats it); nor does a round nobody
 * reported in. Its nodes' local times still count. Fails, with the reason, when the record has
 * no local time or no aggregation time to draw from.
 */
export function recordedCostSamples(inputs: readonly ControlInput[]): RecordedSamples {
  const perNode = new Map<NodeId, Seconds[]>();
  const aggregation: Seconds[] = [];
  for (const input of inputs) {
    for (const n of input.nodes) {
      if (!(n.tauDone > 0) || !usable(n.localSeconds)) continue;
      let list = perNode.get(n.id);
      if (list === undefined) {
        list = [];
        perNode.set(n.id, list);
      }
      list.push(n.localSeconds / n.tauDone);
    }
    const b = input.cost.time.aggregation;
    if (input.lost.length === 0 && input.nodes.length > 0 && usable(b)) aggregation.push(b);
  }
  if (perNode.size === 0) {
    return { ok: false, message: "no round in which a node reported its local time" };
  }
  if (aggregation.length === 0) {
    return {
      ok: false,
      message: "no round that measured an aggregation (every round lost a node or had no report)",
    };
  }
  return {
    ok: true,
    samples: {
      nodes: [...perNode].map(([id, perStep]) => ({ id, perStep })),
      aggregation,
    },
  };
}

export interface RecordedCostOptions {
  readonly samples: RecordedCostSamples;
  readonly seed: number;
  /** Factors on the drawn local time (c) and aggregation time (b), as simulatedCosts' scales. */
  readonly localScale?: number;
  readonly globalScale?: number;
}

/**
 * Costs drawn from a real run's measurements, seeded, so that adaptive and fixed tau can be
 * compared in the simulator on one real network's costs, the same numbers on every machine.
 * Per round, in this order: for each report (the k-th reporting node stands for recorded node
 * k mod the number of recorded nodes), one draw of that recorded node's seconds per update,
 * times the updates it did; the slowest sets the round's local time, as in a real round. Then one
 * draw of b among the recorded aggregation times. "time" only; bytes pass through as measured.
 */
export function recordedCosts(options: RecordedCostOptions): CostSource {
  const { samples } = options;
  const localScale = nonNegative("localScale", options.localScale ?? 1);
  const globalScale = nonNegative("globalScale", options.globalScale ?? 1);
  const nodes = samples.nodes.map((n) => n.perStep).filter((p) => p.length > 0);
  const { aggregation } = samples;
  if (nodes.length === 0 || aggregation.length === 0) {
    throw new RangeError(
      "Cannot draw recorded costs: no local time or no aggregation time to draw from",
    );
  }
  const rng = new Rng(options.seed);
  const pick = (values: readonly Seconds[]): Seconds => values[rng.int(values.length)];
  return {
    kind: "simulated",
    roundCost(input: RoundCostInput): RoundCost {
      let local = 0;
      input.reports.forEach((r, k) => {
        const perStep = pick(nodes[k % nodes.length]) * localScale;
        local = Math.max(local, perStep * r.tauDone);
      });
      const time = { local, aggregation: pick(aggregation) * globalScale };
      return roundCostOf(time, input.bytes);
    },
  };
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(
      `Cannot draw recorded costs: ${name} must be a finite number >= 0, got ${value}`,
    );
  }
  return value;
}
