/**
 * Wakes whoever waits for "something changed" (a node registered, became ready, left): `wait`
 * resolves at the next `notify`, or after `timeoutMs`, whichever comes first. Waiters re-check
 * their own condition, so a notify that changes nothing for them costs a loop turn.
 */
export class ChangeSignal {
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /**
   * Resolves true as soon as `condition()` holds, false once `timeoutMs` have passed without it
   * (or `signal` aborted); checks after every notify.
   */
  async until(condition: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    const onAbort = () => this.notify();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        if (condition()) return true;
        const left = end - performance.now();
        if (left <= 0 || signal?.aborted) return false;
        await this.wait(left);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
