import type { Aggregator } from "../aggregator/aggregator.js";
import type { AggregatorEvent } from "../aggregator/aggregator-events.js";
import { budgetOf, type LearningSetup } from "../aggregator/learning-setup.js";
import type { SampleItem } from "../aggregator/test-sample.js";
import { formatBudget, withTimeBudget } from "../core/federation/budget.js";
import { type LogEntry, noteLogEntry } from "../protocol/message-log.js";
import type { ControlCommand } from "./control-command.js";
import { DIGIT_BYTES } from "./dashboard-limits.js";
import type {
  ControlOutcome,
  DashboardChange,
  DashboardSnapshot,
  DashboardSource,
  TestDigit,
} from "./dashboard-source.js";
import { SourceBook } from "./source-book.js";

/** What the adapter controls: the aggregator's in-process API (a test may pass a stand-in). */
export type ControlledAggregator = Pick<
  Aggregator,
  | "setDelay"
  | "updateSetup"
  | "restartRun"
  | "pauseRuns"
  | "resumeRuns"
  | "runsPaused"
  | "nodeStatuses"
  | "learningSetup"
>;

export interface AggregatorSourceOptions {
  /** The aggregator's setup at start (what the controls show first). */
  readonly setup: LearningSetup;
  /** The delay added to every node at start, ms. */
  readonly delayMs?: number;
  /** Where protocol log entries go besides the page (the terminal), if anywhere. */
  readonly log?: (entry: LogEntry) => void;
}

/**
 * The real aggregator as a DashboardSource. Pass `onEvent` and `log` to `Aggregator.start`, then
 * `attach` the aggregator: its runs, rounds (with the verdicts on the test sample), nodes and
 * protocol log become the dashboard's changes, and the controls become its calls: a new case or
 * tau mode restarts the run (the nodes get a new Setup), a delay applies at once (frames already
 * waiting too), a budget from the next run, stop pauses the runs and start resumes them.
 */
export class AggregatorSource implements DashboardSource {
  private readonly book: SourceBook;
  private readonly terminal: ((entry: LogEntry) => void) | undefined;
  private aggregator: ControlledAggregator | undefined;
  private sample: readonly SampleItem[] | undefined;

  constructor(options: AggregatorSourceOptions) {
    const { setup } = options;
    this.terminal = options.log;
    this.book = new SourceBook({
      case: setup.case,
      budgetSeconds: budgetOf(setup)?.time ?? 0,
      tauMode: setup.tau,
      delayMs: options.delayMs ?? 0,
      running: true,
    });
  }

  /** The protocol log: to the terminal (if any) and the page. For AggregatorOptions.log. */
  readonly log = (entry: LogEntry): void => {
    this.terminal?.(entry);
    this.book.emit({ type: "log", entry });
  };

  /** For AggregatorOptions.onEvent. */
  readonly onEvent = (event: AggregatorEvent): void => {
    switch (event.type) {
      case "run-start": {
        const same =
          event.sample === this.sample || (event.sample.length === 0 && this.sample?.length === 0);
        if (!same) {
          this.sample = event.sample;
          this.book.emit({ type: "test-digits", digits: testDigits(event.sample) });
        }
        const { setup } = event;
        this.book.emit({
          type: "run-start",
          run: {
            id: event.runId,
            setup: {
              model: setup.model.kind,
              task: setup.task,
              case: setup.case,
              tauMode: setup.tau,
              budgetSeconds: event.budgetSeconds ?? 0,
              nodes: event.nodes.length,
            },
            startedAt: event.at,
          },
        });
        return;
      }
      case "round": {
        const { runId, event: round, verdicts } = event;
        this.book.emit({ type: "round", runId, event: round });
        if (verdicts !== null && verdicts.length > 0) {
          const accuracy = round.testAccuracy;
          this.book.emit({ type: "predictions", round: round.round, verdicts, accuracy });
        }
        return;
      }
      case "run-end":
        this.book.emit({ type: "run-end", runId: event.runId, at: event.at, reason: event.reason });
        return;
      case "node":
        this.book.emit({ type: "node", node: event.node });
        return;
      case "paused":
        this.book.setSettings({ running: !event.paused });
        return;
    }
  };

  /** The aggregator the controls drive (started with this source's `onEvent` and `log`). */
  attach(aggregator: ControlledAggregator): void {
    this.aggregator = aggregator;
    for (const node of aggregator.nodeStatuses()) this.onEvent({ type: "node", node });
    this.book.setSettings({ running: !aggregator.runsPaused });
  }

  snapshot(): DashboardSnapshot {
    return this.book.snapshot();
  }

  subscribe(listener: (change: DashboardChange) => void): () => void {
    return this.book.subscribe(listener);
  }

  async control(command: ControlCommand): Promise<ControlOutcome> {
    const aggregator = this.aggregator;
    if (aggregator === undefined) return { ok: false, message: "The aggregator is starting" };
    switch (command.type) {
      case "start":
        aggregator.resumeRuns();
        return { ok: true };
      case "stop":
        aggregator.pauseRuns();
        return { ok: true };
      case "set-case":
        this.note(`case ${command.case}: the run restarts with the new partition`);
        aggregator.updateSetup({ case: command.case });
        this.book.setSettings({ case: command.case });
        aggregator.restartRun();
        return { ok: true };
      case "set-tau": {
        const tau = command.tau === "adaptive" ? "adaptive tau" : `tau fixed at ${command.tau}`;
        this.note(`${tau}: the run restarts`);
        aggregator.updateSetup({ tau: command.tau });
        this.book.setSettings({ tauMode: command.tau });
        aggregator.restartRun();
        return { ok: true };
      }
      case "set-budget": {
        // The time budget only: a byte budget given at start is kept.
        const budget = withTimeBudget(aggregator.learningSetup.budget, command.seconds);
        this.note(`budget ${formatBudget(budget)}, from the next run on`);
        aggregator.updateSetup({ budget });
        this.book.setSettings({ budgetSeconds: command.seconds });
        return { ok: true };
      }
      case "set-delay": {
        const { node, ms } = command;
        if (node !== undefined && !aggregator.nodeStatuses().some((n) => n.id === node)) {
          return { ok: false, message: `No node "${node}"` };
        }
        aggregator.setDelay(node ?? "all", ms);
        if (node === undefined) this.book.setSettings({ delayMs: ms });
        return { ok: true };
      }
    }
  }

  private note(text: string): void {
    this.log(noteLogEntry(Date.now(), "info", `dashboard: ${text}`));
  }
}

/** The samples as test digits: none unless every one is a 28 x 28 image (verdicts match by index). */
function testDigits(sample: readonly SampleItem[]): TestDigit[] {
  const digits: TestDigit[] = [];
  for (const { image, truth } of sample) {
    if (image === null || image.length !== DIGIT_BYTES) return [];
    digits.push({ image, truth });
  }
  return digits;
}
