import { ChangeFeed } from "./change-feed.js";
import type { ControlCommand } from "./control-command.js";
import type {
  ControlOutcome,
  DashboardChange,
  DashboardSettings,
  DashboardSource,
} from "./dashboard-source.js";
import { carryOut, settingsOfRuns } from "./run-controls.js";
import { SimulatedRuns, type SimulatedRunsOptions } from "./simulated-runs.js";

/**
 * The in-process simulator as a DashboardSource: real runs of the round engine over simulated
 * nodes (SimulatedRuns), so the page shows only numbers the system produces, without a network.
 * For developing the page (test-support/dev-server.ts) and for the dashboard's tests. Subscribe,
 * then `start()`; `close()` ends the run under way.
 */
export class SimulatorSource implements DashboardSource {
  private readonly feed = new ChangeFeed();
  private readonly runs: SimulatedRuns;

  constructor(options: SimulatedRunsOptions) {
    this.runs = new SimulatedRuns(options, (change) => this.feed.emit(change));
  }

  /** Starts the runs. */
  start(): void {
    this.runs.start();
  }

  /** Settles when the runs are over (all of them run, or closed). */
  get done(): Promise<void> {
    return this.runs.done;
  }

  settings(): DashboardSettings {
    return settingsOfRuns(this.runs);
  }

  subscribe(listener: (change: DashboardChange) => void): () => void {
    return this.feed.subscribe(listener);
  }

  async control(command: ControlCommand): Promise<ControlOutcome> {
    const outcome = carryOut(command, this.runs, (text) => this.runs.note(text));
    if (outcome.ok) this.feed.emit({ type: "settings", settings: this.settings() });
    return outcome;
  }

  /** Ends the run under way and starts no other; then nothing more is emitted. */
  async close(): Promise<void> {
    await this.runs.close();
    this.feed.close();
  }
}
