import type { DashboardChange, DashboardSource } from "../dashboard-source.js";

export type Change<T extends DashboardChange["type"]> = Extract<DashboardChange, { type: T }>;

/** Every change a listener heard, and a way to wait for one (the test's timeout bounds it). */
export class Heard {
  readonly changes: DashboardChange[] = [];
  private readonly waiting = new Set<() => void>();
  readonly unsubscribe: () => void;

  constructor(source: DashboardSource) {
    this.unsubscribe = source.subscribe((change) => {
      this.changes.push(change);
      for (const check of this.waiting) check();
    });
  }

  of<T extends DashboardChange["type"]>(type: T): Change<T>[] {
    return this.changes.filter((c): c is Change<T> => c.type === type);
  }

  /** Resolves once `ok` holds for the changes heard so far. */
  until(ok: (changes: readonly DashboardChange[]) => boolean): Promise<void> {
    if (ok(this.changes)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!ok(this.changes)) return;
        this.waiting.delete(check);
        resolve();
      };
      this.waiting.add(check);
    });
  }

  /** The index of the first change from `from` on that satisfies `ok`, -1 when none. */
  find(ok: (c: DashboardChange) => boolean, from = 0): number {
    for (let i = from; i < this.changes.length; i++) if (ok(this.changes[i])) return i;
    return -1;
  }
}
