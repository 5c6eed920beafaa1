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
 * The one fold of a source's changes, held by DashboardState: `record` folds each change into a
 * bounded state (the latest rounds per run, log lines, nodes), `snapshot` gives it whole.
 * Sources keep no copy of their own.
 */
export class StateBook {
  private settingsNow: DashboardSettings;
  private readonly runs = new RunPair<BoundedList<RoundEvent>>();
  private readonly nodes = new Map<NodeId, NodeView>();
  private test: TestPanel | null = null;
  private readonly log: BoundedList<LogEntry>;

  constructor(
    settings: DashboardSettings,
    private readonly limits: DashboardLimits = DEFAULT_LIMITS,
  ) {
    this.settingsNow = settings;
    this.log = new BoundedList(limits.logLines);
  }

  node(id: NodeId): NodeView | undefined {
    return this.nodes.get(id);
  }

  get testPanel(): TestPanel | null {
    return this.test;
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

  private rounds(): BoundedList<RoundEvent> {
    return new BoundedList<RoundEvent>(this.limits.roundsPerRun);
  }

  /** Folds a change into the state; false when it changed nothing (a stale run, a node too many). */
  record(change: DashboardChange): boolean {
    switch (change.type) {
      case "run-start": {
        this.runs.start({ ...change.run, endedAt: null, endReason: null }, this.rounds());
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
