/**
 * The latest `capacity` items pushed, oldest first: pushing onto a full list drops the oldest.
 * A ring, so a push costs the same however long the history.
 */
export class BoundedList<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Items dropped to stay within capacity, since creation or the last clear. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`A bounded list needs a capacity of 1 or more, got ${capacity}`);
    }
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.start];
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
    return item;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.dropped = 0;
  }

  toArray(): T[] {
    const out: T[] = new Array(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.items[(this.start + k) % this.capacity] as T;
    return out;
  }
}
