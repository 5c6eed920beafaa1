import { Rng } from "../data/rng.js";

/**
 * How nodes draw their minibatches: "independent" gives node i its own stream; "shared" seeds
 * every node's stream alike, as the authors' code does (MinibatchSampling((sim + 1) * 1000) on
 * every node), so nodes that hold the same data (case 3) draw the same minibatches and stay
 * identical replicas, with delta = 0.
 */
export type MinibatchStreams = "shared" | "independent";

/**
 * The random stream of node `nodeIndex` (0-based) in a run seeded `seed`: its minibatches. The
 * simulator, the experiments and a networked node all use it, so the same seed gives the same
 * run either way.
 */
export function nodeRng(
  seed: number,
  nodeIndex: number,
  streams: MinibatchStreams = "independent",
): Rng {
  return streams === "shared" ? new Rng(seed) : new Rng(seed).fork(nodeIndex);
}
