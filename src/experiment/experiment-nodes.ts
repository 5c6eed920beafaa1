import { Rng } from "../core/data/rng.js";
import type { Batch, Model } from "../core/models/model.js";
import { LocalTrainer, type SgdOptions } from "../core/train/local-trainer.js";
import { InProcessLink } from "../sim/in-process-link.js";

/**
 * How the nodes draw their minibatches: "shared" seeds every node's stream the same (the
 * authors' MinibatchSampling((sim + 1) * 1000) on every node), so nodes holding the same data
 * (case 3) draw the same minibatches and stay identical, as replicas; "independent" gives node i
 * its own stream Rng(seed).fork(i).
 */
export type MinibatchStreams = "shared" | "independent";

export interface ExperimentNodesOptions {
  readonly model: Model;
  /** Node i (id "n<i+1>") holds nodeData[i]. */
  readonly nodeData: readonly Batch[];
  readonly eta: number;
  readonly sgd?: SgdOptions;
  readonly seed: number;
  readonly streams: MinibatchStreams;
}

export interface ExperimentNodes {
  readonly links: readonly InProcessLink[];
  dispose(): void;
}

/** In-process nodes for one run, each a LocalTrainer behind an InProcessLink. */
export function createExperimentNodes(o: ExperimentNodesOptions): ExperimentNodes {
  const root = new Rng(o.seed);
  const trainers: LocalTrainer[] = [];
  try {
    o.nodeData.forEach((data, i) => {
      const rng = o.streams === "shared" ? new Rng(o.seed) : root.fork(i);
      trainers.push(new LocalTrainer({ model: o.model, data, eta: o.eta, sgd: o.sgd, rng }));
    });
  } catch (error) {
    for (const t of trainers) t.dispose();
    throw error;
  }
  return {
    links: trainers.map((t, i) => new InProcessLink(`n${i + 1}`, t)),
    dispose: () => {
      for (const t of trainers) t.dispose();
    },
  };
}
