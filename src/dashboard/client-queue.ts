import { BoundedList } from "./bounded-list.js";

/** What an event-stream client is sent next. */
export type QueueItem =
  | { readonly kind: "change"; readonly text: string; readonly seq: number }
  | { readonly kind: "resync" };

/**
 * The changes waiting for one event-stream client. Bounded: when a slow client falls
 * `capacity` changes behind, the oldest are dropped and it is told to resync (refetch the state)
 * before it gets the rest.
 */
export class ClientQueue {
  private readonly items: BoundedList<QueueItem & { kind: "change" }>;
  private resyncDue = false;
  private wake: (() => void) | null = null;
  closed = false;

  constructor(capacity: number) {
    this.items = new BoundedList(capacity);
  }

  get length(): number {
    return this.items.length;
  }

  push(text: string, seq: number): void {
    if (this.closed) return;
    if (this.items.length === this.items.capacity) this.resyncDue = true;
    this.items.push({ kind: "change", text, seq });
    this.signal();
  }

  /** The next item, or null when none is waiting. */
  take(): QueueItem | null {
    if (this.resyncDue) {
      this.resyncDue = false;
      return { kind: "resync" };
    }
    return this.items.shift() ?? null;
  }

  /** Resolves true when an item arrives (or the queue closes), false after `ms` without one. */
  wait(ms: number): Promise<boolean> {
    if (this.closed || this.resyncDue || this.items.length > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  close(): void {
    this.closed = true;
    this.items.clear();
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
