import type { Clock } from "../core/clock.js";
import type { Batch } from "../core/data/batch.js";
import type { Model } from "../core/models/model.js";
import { LocalTrainer, type SgdOptions } from "../core/train/local-trainer.js";
import { type MinibatchStreams, nodeRng } from "../core/train/node-rng.js";
import { InProcessLink } from "./in-process-link.js";

export interface SimulationOptions {
  readonly model: Model;
  /** One batch per node: node i (id "n<i+1>") holds nodeData[i]. */
  readonly nodeData: readonly Batch[];
  readonly eta: number;
  readonly sgd?: SgdOptions;
  /** Seeds the nodes' minibatch streams: node i draws from nodeRng(seed, i, streams). */
  readonly seed: number;
  /** Independent streams per node (default) or one shared stream, as the authors' code. */
  readonly streams?: MinibatchStreams;
  /**
   * Times the local updates and each node's call (default performance.now); give the round
   * engine the same clock. A simulated cost source ignores both.
   */
  readonly clock?: Clock;
  /** See LocalTrainerOptions (both default false: the paper's rules). */
  readonly firstRoundEstimates?: boolean;
  readonly gradientNoise?: boolean;
}

export interface Simulation {
  /** The nodes, in nodeData order, for the round engine to drive. */
  readonly links: readonly InProcessLink[];
  readonly trainers: readonly LocalTrainer[];
  /** Frees every node's kernel memory. */
  dispose(): void;
}

/** N in-process nodes sharing one model definition, each with its own data and Rng stream. */
export function createSimulation(options: SimulationOptions): Simulation {
  const { model, nodeData, eta, sgd, clock } = options;
  if (nodeData.length === 0) throw new RangeError("Cannot create a simulation: no node data given");
  const trainers: LocalTrainer[] = [];
  const links: InProcessLink[] = [];
  try {
    nodeData.forEach((data, i) => {
      const id = `n${i + 1}`;
      let trainer: LocalTrainer;
      try {
        trainer = new LocalTrainer({
          model,
          data,
          eta,
          sgd,
          rng: nodeRng(options.seed, i, options.streams),
          clock,
          firstRoundEstimates: options.firstRoundEstimates,
          gradientNoise: options.gradientNoise,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RangeError(`Cannot create simulated node ${id}: ${reason}`);
      }
      trainers.push(trainer);
      links.push(new InProcessLink(id, trainer, clock));
    });
  } catch (error) {
    for (const t of trainers) t.dispose();
    throw error;
  }
  return {
    links,
    trainers,
    dispose: () => {
      for (const t of trainers) t.dispose();
    },
  };
}
