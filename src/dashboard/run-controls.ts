import type { DelayTarget } from "../aggregator/delay-table.js";
import type { LearningSetup } from "../aggregator/learning-setup.js";
import { formatBudget, withTimeBudget } from "../core/federation/budget.js";
import type { NodeId } from "../core/units.js";
import type { ControlCommand } from "./control-command.js";
import type { ControlOutcome, DashboardSettings } from "./dashboard-source.js";
import { settingsOf } from "./setup-view.js";

/**
 * What the dashboard's controls drive: runs of a learning setup, one after another. The
 * aggregator has this API; so has the simulator's `SimulatedRuns`.
 */
export interface ControlledRuns {
  /** The setup the next run takes. */
  readonly learningSetup: LearningSetup;
  readonly runsPaused: boolean;
  /** Changes the setup from the next run on. */
  updateSetup(patch: Partial<LearningSetup>): void;
  /** Ends the run under way and starts the next one with the setup as it is now. */
  restartRun(): void;
  /** Ends the run under way and starts none until resumeRuns(). */
  pauseRuns(): void;
  resumeRuns(): void;
  /** The delay added to one node's messages, or every node's ("all" clears the others). */
  setDelay(target: DelayTarget, ms: number): void;
  delays(): { readonly all: number };
  nodeStatuses(): readonly { readonly id: NodeId }[];
}

/** The controls' values, derived from the runs' setup, delays and pause. */
export function settingsOfRuns(runs: ControlledRuns): DashboardSettings {
  return settingsOf(runs.learningSetup, runs.delays().all, runs.runsPaused);
}

/**
 * Carries out one command on the runs: a new case or tau mode restarts the run (the nodes get a
 * new Setup), a budget applies from the next run (a byte budget is kept), a delay at once, stop
 * pauses the runs and start resumes them. `note` gets a line for the protocol log.
 */
export function carryOut(
  command: ControlCommand,
  runs: ControlledRuns,
  note: (text: string) => void,
): ControlOutcome {
  switch (command.type) {
    case "start":
      runs.resumeRuns();
      return { ok: true };
    case "stop":
      runs.pauseRuns();
      return { ok: true };
    case "set-case":
      note(`dashboard: case ${command.case}: the run restarts with the new partition`);
      runs.updateSetup({ case: command.case });
      runs.restartRun();
      return { ok: true };
    case "set-tau": {
      const tau = command.tau === "adaptive" ? "adaptive tau" : `tau fixed at ${command.tau}`;
      note(`dashboard: ${tau}: the run restarts`);
      runs.updateSetup({ tau: command.tau });
      runs.restartRun();
      return { ok: true };
    }
    case "set-budget": {
      const budget = withTimeBudget(runs.learningSetup.budget, command.seconds);
      note(`dashboard: budget ${formatBudget(budget)}, from the next run on`);
      runs.updateSetup({ budget });
      return { ok: true };
    }
    case "set-delay": {
      const { node, ms } = command;
      if (node !== undefined && !runs.nodeStatuses().some((n) => n.id === node)) {
        return { ok: false, message: `No node "${node}"` };
      }
      runs.setDelay(node ?? "all", ms);
      return { ok: true };
    }
  }
}
