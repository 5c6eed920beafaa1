import type { Rng } from "../core/data/rng.js";

export interface BackoffOptions {
  /** The first wait, in ms; default 250. */
  readonly initialMs?: number;
  /** No wait is longer; default 10,000. */
  readonly maxMs?: number;
  /** Each wait is this many times the one before; default 2. */
  readonly factor?: number;
  /**
   * With `rng`: each wait is drawn uniformly from [(1 - jitter) x, x] for the schedule's x, so that
   * nodes dropped together do not all come back at the same instant; default 0.5. Without `rng`
   * the schedule is exact: initial, initial x factor, ... up to max.
   */
  readonly jitter?: number;
  /** A seeded stream for the jitter (fedtau never uses Math.random). */
  readonly rng?: Rng;
}

/**
 * The waits between reconnection attempts: exponential, capped, optionally jittered from a seeded
 * Rng; `reset()` after a success starts again from the first wait.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly rng: Rng | undefined;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.rng = options.rng;
    if (!(Number.isFinite(this.initialMs) && this.initialMs >= 0)) {
      throw new RangeError(
        `Back-off initialMs must be a finite number >= 0, got ${this.initialMs}`,
      );
    }
    if (!(Number.isFinite(this.maxMs) && this.maxMs >= this.initialMs)) {
      throw new RangeError(
        `Back-off maxMs must be a finite number >= initialMs (${this.initialMs}), got ${this.maxMs}`,
      );
    }
    if (!(Number.isFinite(this.factor) && this.factor >= 1)) {
      throw new RangeError(`Back-off factor must be a finite number >= 1, got ${this.factor}`);
    }
    if (!(this.jitter >= 0 && this.jitter <= 1)) {
      throw new RangeError(`Back-off jitter must be in 0..1, got ${this.jitter}`);
    }
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The wait before the next attempt, in ms. */
  next(): number {
    const x = Math.min(this.maxMs, this.initialMs * this.factor ** Math.min(this.attempt, 1024));
    this.attempt++;
    if (this.rng === undefined || this.jitter === 0) return x;
    return x * (1 - this.jitter * this.rng.next());
  }

  /** After a success: the next wait is the first again. */
  reset(): void {
    this.attempt = 0;
  }
}
