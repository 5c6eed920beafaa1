import { budgetOf, type LearningSetup } from "../aggregator/learning-setup.js";
import type { DashboardSettings, RunSetup } from "./dashboard-source.js";

/**
 * What the controls show, derived from the setup the next run takes, the delay added to every
 * node and whether runs are paused: computed when asked, never kept beside the setup.
 */
export function settingsOf(
  setup: LearningSetup,
  delayMs: number,
  paused: boolean,
): DashboardSettings {
  return {
    case: setup.case,
    budgetSeconds: budgetOf(setup)?.time ?? 0,
    tauMode: setup.tau,
    delayMs,
    running: !paused,
  };
}

/** A run's setup as the page's header shows it. */
export function runSetupOf(setup: LearningSetup, nodes: number): RunSetup {
  return {
    model: setup.model.kind,
    task: setup.task,
    case: setup.case,
    tauMode: setup.tau,
    budgetSeconds: budgetOf(setup)?.time ?? 0,
    nodes,
  };
}
