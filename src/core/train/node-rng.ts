import { Rng } from "../data/rng.js";

/**
 * The random stream of node `nodeIndex` (0-based) in a run seeded `seed`: its minibatches. The
 * simulator and a networked node both use it, so the same seed gives the same run either way.
 */
export function nodeRng(seed: number, nodeIndex: number): Rng {
  return new Rng(seed).fork(nodeIndex);
}
