import type { Rng, RngState } from "../data/rng.js";

/** Where a sampler is in its stream (MinibatchSampler.state, restore). */
export interface SamplerState {
  readonly rng: RngState;
  readonly order: Uint32Array;
  readonly start: number;
}

/**
 * Seeded minibatches of a node's rows, as the authors' `MinibatchSampling` draws them: the rows
 * are shuffled once, minibatches are consecutive slices of that order (so no row appears twice
 * in a minibatch, nor twice in a pass), and the order is reshuffled when fewer than `batchSize`
 * rows remain. The authors reshuffle one slice earlier (when exactly `batchSize` remain); taking
 * that last full slice too changes nothing but which rows a given draw holds.
 */
export class MinibatchSampler {
  private readonly order: Uint32Array;
  private start = 0;

  constructor(
    readonly rows: number,
    readonly batchSize: number,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > rows) {
      throw new RangeError(
        `Cannot sample minibatches: batch size must be an integer in 1..${rows} (the rows available), got ${batchSize}`,
      );
    }
    this.order = rng.permutation(rows);
  }

  /** Where the sampler is now: restore() makes it draw the same minibatches again. */
  state(): SamplerState {
    return { rng: this.rng.state(), order: this.order.slice(), start: this.start };
  }

  restore(s: SamplerState): void {
    this.rng.restore(s.rng);
    this.order.set(s.order);
    this.start = s.start;
  }

  /** The row indices of the next minibatch (a fresh array of `batchSize` distinct rows). */
  next(): Uint32Array {
    if (this.start + this.batchSize > this.rows) {
      this.rng.shuffle(this.order);
      this.start = 0;
    }
    const picked = this.order.slice(this.start, this.start + this.batchSize);
    this.start += this.batchSize;
    return picked;
  }
}
