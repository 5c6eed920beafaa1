import type { AggregatorEvent, NodeStatus } from "../aggregator/aggregator-events.js";
import type { LearningSetup } from "../aggregator/learning-setup.js";
import type { SampleItem } from "../aggregator/test-sample.js";
import { type LogEntry, noteLogEntry } from "../protocol/message-log.js";
import { ChangeFeed } from "./change-feed.js";
import type { ControlCommand } from "./control-command.js";
import type {
  ControlOutcome,
  DashboardChange,
  DashboardSettings,
  DashboardSource,
} from "./dashboard-source.js";
import { type ControlledRuns, carryOut, settingsOfRuns } from "./run-controls.js";
import { testDigits } from "./sample-digits.js";
import { runSetupOf, settingsOf } from "./setup-view.js";

/** What the adapter drives: the aggregator's in-process API (a test may pass a stand-in). */
export interface ControlledAggregator extends ControlledRuns {
  nodeStatuses(): readonly NodeStatus[];
}

export interface AggregatorSourceOptions {
  /** The aggregator's setup at start (what the controls show until it is attached). */
  readonly setup: LearningSetup;
  /** The delay added to every node at start, ms. */
  readonly delayMs?: number;
  /** Where protocol log entries go besides the page (the terminal), if anywhere. */
  readonly log?: (entry: LogEntry) => void;
}

/**
 * The real aggregator as a DashboardSource. Pass `onEvent` and `log` to `Aggregator.start`, then
 * `attach` the aggregator: its runs, rounds (with the verdicts on the test sample), nodes and
 * protocol log become the dashboard's changes, and the controls become its calls (run-controls.ts).
 * It keeps no copy of the state: the dashboard folds the changes, and the settings are derived
 * from the aggregator's setup when asked.
 */
export class AggregatorSource implements DashboardSource {
  private readonly feed = new ChangeFeed();
  private readonly terminal: ((entry: LogEntry) => void) | undefined;
  private aggregator: ControlledAggregator | undefined;
  private sample: readonly SampleItem[] | undefined;

  constructor(private readonly options: AggregatorSourceOptions) {
    this.terminal = options.log;
  }

  /** The protocol log: to the terminal (if any) and the page. For AggregatorOptions.log. */
  readonly log = (entry: LogEntry): void => {
    this.terminal?.(entry);
    this.feed.emit({ type: "log", entry });
  };

  /** For AggregatorOptions.onEvent. */
  readonly onEvent = (event: AggregatorEvent): void => {
    switch (event.type) {
      case "run-start": {
        const same =
          event.sample === this.sample || (event.sample.length === 0 && this.sample?.length === 0);
        if (!same) {
          this.sample = event.sample;
          this.feed.emit({ type: "test-digits", digits: testDigits(event.sample) });
        }
        this.feed.emit({
          type: "run-start",
          run: {
            id: event.runId,
            setup: runSetupOf(event.setup, event.nodes.length),
            startedAt: event.at,
          },
        });
        return;
      }
      case "round": {
        const { runId, event: round, verdicts } = event;
        this.feed.emit({ type: "round", runId, event: round });
        if (verdicts !== null && verdicts.length > 0) {
          const accuracy = round.testAccuracy;
          this.feed.emit({ type: "predictions", round: round.round, verdicts, accuracy });
        }
        return;
      }
      case "run-end":
        this.feed.emit({ type: "run-end", runId: event.runId, at: event.at, reason: event.reason });
        return;
      case "node":
        this.feed.emit({ type: "node", node: event.node });
        return;
      case "paused":
        // The controls report the settings they change, running included.
        return;
    }
  };

  /** The aggregator the controls drive (started with this source's `onEvent` and `log`). */
  attach(aggregator: ControlledAggregator): void {
    this.aggregator = aggregator;
    for (const node of aggregator.nodeStatuses()) this.onEvent({ type: "node", node });
    this.emitSettings();
  }

  settings(): DashboardSettings {
    const aggregator = this.aggregator;
    if (aggregator !== undefined) return settingsOfRuns(aggregator);
    return settingsOf(this.options.setup, this.options.delayMs ?? 0, false);
  }

  subscribe(listener: (change: DashboardChange) => void): () => void {
    return this.feed.subscribe(listener);
  }

  async control(command: ControlCommand): Promise<ControlOutcome> {
    const aggregator = this.aggregator;
    if (aggregator === undefined) return { ok: false, message: "The aggregator is starting" };
    const outcome = carryOut(command, aggregator, (text) =>
      this.log(noteLogEntry(Date.now(), "info", text)),
    );
    if (outcome.ok) this.emitSettings();
    return outcome;
  }

  private emitSettings(): void {
    this.feed.emit({ type: "settings", settings: this.settings() });
  }
}
