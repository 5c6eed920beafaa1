import type { RoundCost } from "../core/control/round-cost.js";
import { Rng } from "../core/data/rng.js";
import type { CostSource, RoundCostInput } from "../core/federation/cost-source.js";
import { roundCostOf } from "../core/federation/round-cost-of.js";
import type { Seconds } from "../core/units.js";

export interface SimulatedCostOptions {
  readonly seed: number;
  /** Seconds per local update: mean and standard deviation (the authors' SGD SVM measurement). */
  readonly localMean?: Seconds;
  readonly localStd?: Seconds;
  /** Seconds per aggregation (b): mean and standard deviation. */
  readonly globalMean?: Seconds;
  readonly globalStd?: Seconds;
  /** Multiply both mean and std of the local (resp. aggregation) time, as the authors' multiply_local/_global. */
  readonly localScale?: number;
  readonly globalScale?: number;
  /**
   * "shared" (default, the authors' simulation): one draw per local update of the round, for
   * max(tauDone) updates, summed; the distribution is already a slowest-node figure, since the
   * authors measured max over nodes of local time / tau.
   * "per-node": one draw per local update per node, the round's local time being the largest of
   * the nodes' sums over their tauDone updates (slower: a maximum over nodes on top).
   */
  readonly localDraws?: "shared" | "per-node";
}

/** Draws below this are raised to it: the authors' np.maximum(normal, 1e-10). */
export const MIN_SIMULATED_SECONDS = 1e-10;

/**
 * A seeded cost model, so that a run's costs, and so its tau choices and budget, are the same on
 * every machine. Draws are normal(mean, std) clamped (not resampled) at 1e-10, exactly as the
 * authors' TimeGeneration does; the clamp lifts the mean slightly above the configured one
 * (by 0.6% for the local defaults). Per round, in this order: the local draws (see
 * `localDraws`), then one draw of the aggregation time b. Only "time" is simulated; the bytes the
 * links count (the in-process links: what the round's frames would take on a WebSocket) are
 * passed through as a "bytes" resource (all aggregation).
 */
export function simulatedCosts(options: SimulatedCostOptions): CostSource {
  const localScale = nonNegative("localScale", options.localScale ?? 1);
  const globalScale = nonNegative("globalScale", options.globalScale ?? 1);
  const localMean = nonNegative("localMean", options.localMean ?? 0.013) * localScale;
  const localStd = nonNegative("localStd", options.localStd ?? 0.0069) * localScale;
  const globalMean = nonNegative("globalMean", options.globalMean ?? 0.1316) * globalScale;
  const globalStd = nonNegative("globalStd", options.globalStd ?? 0.0539) * globalScale;
  const perNode = (options.localDraws ?? "shared") === "per-node";
  const rng = new Rng(options.seed);
  const draw = (mean: number, std: number): Seconds =>
    Math.max(mean + std * rng.normal(), MIN_SIMULATED_SECONDS);
  const sumOfDraws = (steps: number): Seconds => {
    let s = 0;
    for (let i = 0; i < steps; i++) s += draw(localMean, localStd);
    return s;
  };

  return {
    kind: "simulated",
    roundCost(input: RoundCostInput): RoundCost {
      let local = 0;
      if (perNode) {
        for (const r of input.reports) local = Math.max(local, sumOfDraws(r.tauDone));
      } else {
        let steps = 0;
        for (const r of input.reports) steps = Math.max(steps, r.tauDone);
        local = sumOfDraws(steps);
      }
      const time = { local, aggregation: draw(globalMean, globalStd) };
      return roundCostOf(time, input.bytes);
    },
  };
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(
      `Cannot simulate costs: ${name} must be a finite number >= 0, got ${value}`,
    );
  }
  return value;
}
