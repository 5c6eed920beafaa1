/**
 * Timers the delay queue runs on: the real ones by default, fake ones in tests. `now` is a
 * monotonic time in milliseconds.
 */
export interface DelayTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: DelayTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending<T> {
  readonly item: T;
  /** When it was pushed, in the timers' milliseconds. */
  readonly at: number;
}

/**
 * Holds items for an added delay, then hands them on in the order they came (FIFO), whatever the
 * delay does meanwhile. The delay can change at any time and applies to every item still
 * waiting: an item is due `delayMs` after it was pushed, but never before the item ahead of it.
 * With no delay and nothing waiting, an item is handed on at once, synchronously.
 */
export class DelayQueue<T> {
  private readonly queue: Pending<T>[] = [];
  private head = 0;
  private timer: unknown;
  private delay: number;

  constructor(
    private readonly deliver: (item: T) => void,
    delayMs = 0,
    private readonly timers: DelayTimers = realTimers,
  ) {
    this.delay = checkDelay(delayMs);
  }

  get delayMs(): number {
    return this.delay;
  }

  /** Changes the delay; items already waiting are rescheduled with the new one. */
  set delayMs(ms: number) {
    this.delay = checkDelay(ms);
    this.schedule();
  }

  /** Items waiting. */
  get size(): number {
    return this.queue.length - this.head;
  }

  push(item: T): void {
    if (this.delay === 0 && this.size === 0) {
      this.deliver(item);
      return;
    }
    this.queue.push({ item, at: this.timers.now() });
    if (this.size === 1) this.schedule();
  }

  /** Hands on every waiting item now, in order (e.g. before closing gracefully). */
  flush(): void {
    this.cancelTimer();
    while (this.size > 0) this.deliver(this.shift());
  }

  /** Drops every waiting item and returns them, in order. */
  clear(): T[] {
    this.cancelTimer();
    const dropped = this.queue.slice(this.head).map((p) => p.item);
    this.queue.length = 0;
    this.head = 0;
    return dropped;
  }

  private shift(): T {
    const p = this.queue[this.head++];
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return p.item;
  }

  /** Sets the timer for the head item, delivering whatever is already due. */
  private schedule(): void {
    this.cancelTimer();
    while (this.size > 0) {
      const wait = this.queue[this.head].at + this.delay - this.timers.now();
      if (wait > 0) {
        this.cancelTimer();
        this.timer = this.timers.setTimeout(() => {
          this.timer = undefined;
          this.schedule();
        }, wait);
        return;
      }
      this.deliver(this.shift());
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

function checkDelay(ms: number): number {
  if (!(Number.isFinite(ms) && ms >= 0)) {
    throw new RangeError(`A delay must be a finite number of milliseconds >= 0, got ${ms}`);
  }
  return ms;
}
