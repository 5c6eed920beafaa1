import type { RoundEvent } from "../core/federation/round-event.js";
import type { NodeId } from "../core/units.js";
import type { LogEntry } from "../protocol/message-log.js";
import { BoundedList } from "./bounded-list.js";
import { type DashboardLimits, DEFAULT_LIMITS } from "./dashboard-limits.js";
import type {
  DashboardChange,
  DashboardSettings,
  DashboardSnapshot,
  NodeView,
  RunRecord,
  TestPanel,
} from "./dashboard-source.js";
import { type HeldRun, RunPair, runHeader } from "./run-pair.js";

/**
 * The bookkeeping of a DashboardSource: every change the source emits goes through `emit`,
 * which folds it into a bounded copy of the state (what `snapshot()` answers) and then hands it
 * to the listeners, so the snapshot and the stream of changes never disagree. The aggregator's
 * adapter and the fake source both keep their state here.
 */
export class SourceBook {
  private readonly listeners = new Set<(change: DashboardChange) => void>();
  private settingsNow: DashboardSettings;
  private readonly runs = new RunPair<BoundedList<RoundEvent>>();
  private readonly nodes = new Map<NodeId, NodeView>();
  private test: TestPanel | null = null;
  private readonly log: BoundedList<LogEntry>;

  /** Starts from `settings` alone, or from a whole snapshot (e.g. another source's). */
  constructor(
    settings: DashboardSettings,
    private readonly limits: DashboardLimits = DEFAULT_LIMITS,
    initial?: DashboardSnapshot,
  ) {
    this.settingsNow = settings;
    this.log = new BoundedList(limits.logLines);
    if (initial === undefined) return;
    const { previousRun, run } = initial;
    if (previousRun) this.runs.restorePrevious(previousRun, this.rounds(previousRun.events));
    if (run) this.runs.start(run, this.rounds(run.events));
    for (const node of initial.nodes) this.record({ type: "node", node });
    this.test = initial.test;
    for (const entry of initial.log) this.log.push(entry);
  }

  get settings(): DashboardSettings {
    return this.settingsNow;
  }

  /** The current run (or the last one), with its round events. */
  get run(): HeldRun<BoundedList<RoundEvent>> | null {
    return this.runs.current;
  }

  node(id: NodeId): NodeView | undefined {
    return this.nodes.get(id);
  }

  get testPanel(): TestPanel | null {
    return this.test;
  }

  subscribe(listener: (change: DashboardChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): DashboardSnapshot {
    return {
      settings: this.settingsNow,
      run: this.runs.current && runRecord(this.runs.current),
      previousRun: this.runs.previous && runRecord(this.runs.previous),
      nodes: [...this.nodes.values()],
      test: this.test,
      log: this.log.toArray(),
    };
  }

  /** Records the change, then tells every listener. */
  emit(change: DashboardChange): void {
    this.record(change);
    for (const listener of this.listeners) listener(change);
  }

  /** Changes some settings and emits them all. */
  setSettings(patch: Partial<DashboardSettings>): void {
    this.emit({ type: "settings", settings: { ...this.settingsNow, ...patch } });
  }

  /** Forgets the listeners. */
  close(): void {
    this.listeners.clear();
  }

  private rounds(events: readonly RoundEvent[]): BoundedList<RoundEvent> {
    const rounds = new BoundedList<RoundEvent>(this.limits.roundsPerRun);
    for (const event of events) rounds.push(event);
    return rounds;
  }

  /** Folds a change into the state; false when it changed nothing (a stale run, a node too many). */
  record(change: DashboardChange): boolean {
    switch (change.type) {
      case "run-start": {
        this.runs.start({ ...change.run, endedAt: null, endReason: null }, this.rounds([]));
        return true;
      }
      case "round": {
        const run = this.runs.running(change.runId);
        run?.rounds.push(change.event);
        return run !== null;
      }
      case "run-end":
        return this.runs.end(change.runId, change.at, change.reason);
      case "node":
        if (!this.nodes.has(change.node.id) && this.nodes.size >= this.limits.nodes) return false;
        this.nodes.set(change.node.id, change.node);
        return true;
      case "node-removed":
        return this.nodes.delete(change.id);
      case "test-digits":
        this.test = { digits: change.digits, verdicts: null, round: null, accuracy: null };
        return true;
      case "predictions": {
        if (this.test === null) return false;
        const { round, verdicts, accuracy } = change;
        this.test = { ...this.test, verdicts, round, accuracy };
        return true;
      }
      case "log":
        this.log.push(change.entry);
        return true;
      case "settings":
        this.settingsNow = change.settings;
        return true;
    }
  }
}

function runRecord(run: HeldRun<BoundedList<RoundEvent>>): RunRecord {
  return { ...runHeader(run), events: run.rounds.toArray() };
}
