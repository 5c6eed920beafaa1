/** A node's weights with the number of samples behind them. */
export interface WeightedUpdate {
  readonly weights: Float64Array;
  /** D_i. */
  readonly dataSize: number;
}

/**
 * Partials per weight. When a weight's partials fill them they are compressed (packed into as few
 * doubles as the exact value needs, usually 2); only a value that needs more than this many
 * doubles (its bits spanning over 4 x 53 = 212 binary orders of magnitude) makes the
 * accumulator grow.
 */
const PARTIALS = 4;
/** The most partials a finite float64 sum can need (2098 bits of range) plus room. */
const MAX_PARTIALS = 64;

/**
 * The global aggregation w = sum_i D_i w_i / D, accumulated one update at a time (streaming: an
 * update can be dropped once added, so the memory for weights does not grow with the number of
 * nodes) and independent of the order the updates come in: a network delivers reports in any
 * order, and the average must be the same bits every time.
 *
 * How: each term D_i w_i[k] (one rounding, the same whatever the order) is added exactly into a
 * short list of non-overlapping partial sums per weight (Shewchuk's algorithm, as Python's
 * math.fsum), and the exact sum is rounded once, to nearest even, when the average is read. The
 * exact sum of a set does not depend on the order of its terms, so neither does its rounding.
 * Memory: 4 doubles per weight (see PARTIALS), whatever the number of updates.
 *
 * A term that overflows (|D_i w_i[k]| > 1.8e308), or a partial sum that does, makes that weight
 * NaN in the average: the caller sees a non-finite aggregate (allFinite) and keeps the previous
 * global weights.
 */
export class WeightedSum {
  readonly size: number;
  private cap = PARTIALS;
  private readonly scratch = new Float64Array(MAX_PARTIALS + 1);
  private parts: Float64Array;
  private readonly lens: Uint8Array;
  private readonly overflow: Uint8Array;
  private total = 0;
  private updates = 0;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 0)) {
      throw new RangeError(`Cannot sum weights: the size must be an integer >= 0, got ${size}`);
    }
    this.size = size;
    this.parts = new Float64Array(size * this.cap);
    this.lens = new Uint8Array(size);
    this.overflow = new Uint8Array(size);
  }

  /** Updates added since the last reset. */
  get count(): number {
    return this.updates;
  }

  /** D: the data sizes added. */
  get dataTotal(): number {
    return this.total;
  }

  /** Doubles held per weight (the memory, independent of the number of updates). */
  get partialsPerWeight(): number {
    return this.cap;
  }

  /** Forgets every update: ready for the next round. */
  reset(): void {
    this.lens.fill(0);
    this.overflow.fill(0);
    this.total = 0;
    this.updates = 0;
  }

  /** Adds D_i w_i. `weights` is not kept. */
  add(weights: Float64Array, dataSize: number): void {
    const n = this.size;
    if (weights.length !== n) {
      throw new RangeError(`Cannot average weights: expected ${n} weights, got ${weights.length}`);
    }
    const { lens, overflow } = this;
    for (let k = 0; k < n; k++) {
      let x = dataSize * weights[k];
      if (x - x !== 0) {
        overflow[k] = 1;
        continue;
      }
      const cap = this.cap;
      let parts = this.parts;
      const base = k * cap;
      const len = lens[k];
      let i = 0;
      for (let j = 0; j < len; j++) {
        // TwoSum (Knuth): hi + lo = x + y exactly, without comparing magnitudes.
        const y = parts[base + j];
        const hi = x + y;
        const yv = hi - x;
        const lo = x - (hi - yv) + (y - yv);
        parts[base + i] = lo;
        if (lo !== 0) i++;
        x = hi;
      }
      if (x - x !== 0) {
        overflow[k] = 1;
        continue;
      }
      if (i < cap) {
        parts[base + i] = x;
        lens[k] = i + 1;
        continue;
      }
      // Full: pack the partials and x into as few doubles as the exact value needs.
      const scratch = this.scratch;
      for (let j = 0; j < i; j++) scratch[j] = parts[base + j];
      scratch[i] = x;
      const packed = compress(scratch, i + 1);
      if (packed > cap) {
        this.grow(packed);
        parts = this.parts;
      }
      const at = k * this.cap;
      for (let j = 0; j < packed; j++) parts[at + j] = scratch[j];
      lens[k] = packed;
    }
    this.total += dataSize;
    this.updates++;
  }

  /** sum D_i w_i / D, correctly rounded sum; NaN where a term or a sum overflowed. */
  average(): Float64Array {
    if (this.updates === 0) throw new RangeError("Cannot average weights: no updates");
    const n = this.size;
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      out[k] = this.overflow[k] === 1 ? Number.NaN : this.exactSum(k) / this.total;
    }
    return out;
  }

  /** The exact sum of weight k's partials rounded to nearest even (math.fsum's last step). */
  private exactSum(k: number): number {
    const parts = this.parts;
    const base = k * this.cap;
    let n = this.lens[k];
    if (n === 0) return 0;
    let hi = parts[base + --n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = parts[base + --n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Half-way cases: the partials below decide the direction of the rounding.
    if (n > 0 && ((lo < 0 && parts[base + n - 1] < 0) || (lo > 0 && parts[base + n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    // + 0: a sum of zeros is +0, as a plain running sum from 0 gives.
    return hi + 0;
  }

  private grow(needed: number): void {
    const old = this.parts;
    const oldCap = this.cap;
    let cap = oldCap;
    while (cap < needed) cap *= 2;
    const parts = new Float64Array(this.size * cap);
    for (let k = 0; k < this.size; k++) {
      parts.set(old.subarray(k * oldCap, k * oldCap + this.lens[k]), k * cap);
    }
    this.parts = parts;
    this.cap = cap;
  }
}

/**
 * Shewchuk's Compress, in place: the nonoverlapping expansion e[0..m) (increasing magnitude) as
 * an equal one with few components (increasing magnitude); returns their number. Exact.
 */
function compress(e: Float64Array, m: number): number {
  const g = e;
  // Top down: g[bottom..m) collects the large parts.
  let q = e[m - 1];
  let bottom = m - 1;
  for (let i = m - 2; i >= 0; i--) {
    const a = q;
    const b = e[i];
    const sum = a + b;
    const err = b - (sum - a);
    if (err !== 0) {
      g[bottom--] = sum;
      q = err;
    } else {
      q = sum;
    }
  }
  g[bottom] = q;
  // Bottom up: the small errors first.
  let top = 0;
  q = g[bottom];
  for (let i = bottom + 1; i < m; i++) {
    const a = g[i];
    const sum = a + q;
    const err = q - (sum - a);
    if (err !== 0) e[top++] = err;
    q = sum;
  }
  e[top] = q;
  return top + 1;
}

/**
 * The global aggregation w = sum_i D_i w_i / D, with D the data of the updates given: when some
 * nodes fail, the weights of the others are renormalised. The same bits whatever the order of
 * the updates (see WeightedSum). The result may contain NaN (overflow); the caller decides what
 * then.
 */
export function weightedAverage(updates: readonly WeightedUpdate[], size: number): Float64Array {
  if (updates.length === 0) throw new RangeError("Cannot average weights: no updates");
  const sum = new WeightedSum(size);
  for (const { weights, dataSize } of updates) sum.add(weights, dataSize);
  return sum.average();
}

/** One finiteness check for weights, shared with the models. */
export { allFinite } from "../models/finite-weights.js";
