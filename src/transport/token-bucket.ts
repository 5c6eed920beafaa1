/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up (default: one
 * second's worth). `take()` spends one token if there is one. The clock is injectable for tests.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private readonly now: () => number;

  constructor(ratePerSecond: number, options: { burst?: number; now?: () => number } = {}) {
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new RangeError(`A token bucket needs a rate > 0 per second, got ${ratePerSecond}`);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(1, options.burst ?? ratePerSecond);
    this.now = options.now ?? (() => performance.now());
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Spends one token: true if there was one, false if the rate is exceeded. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
