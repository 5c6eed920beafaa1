import type { DashboardChange } from "./dashboard-source.js";

/**
 * A source's listeners: `emit` hands a change to each, in subscription order. It keeps no
 * state: the dashboard folds the changes once (DashboardState).
 */
export class ChangeFeed {
  private readonly listeners = new Set<(change: DashboardChange) => void>();

  subscribe(listener: (change: DashboardChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: DashboardChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Forgets every listener: nothing is heard after. */
  close(): void {
    this.listeners.clear();
  }
}
