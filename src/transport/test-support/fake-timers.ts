import type { DelayTimers } from "../delay-queue.js";

/** Timers driven by hand: `advance(ms)` moves time on and fires what is due, in order. */
export class FakeTimers implements DelayTimers {
  private time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get timers(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending)
        if (e[1].at <= end && (first === undefined || e[1].at < first[1].at)) first = e;
      if (first === undefined) break;
      this.pending.delete(first[0]);
      this.time = Math.max(this.time, first[1].at);
      first[1].fn();
    }
    this.time = end;
  }
}
