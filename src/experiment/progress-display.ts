import { SingleBar } from "cli-progress";
import { caseLabel } from "./case-setting.js";
import type { RunSpec } from "./experiment-plan.js";
import type { ExperimentProgress, ProgressListener } from "./experiment-progress.js";
import { formatTauMode } from "./tau-modes.js";

/** A progress display for a terminal: a bar when `stream` is a TTY, else one line per finished run. */
export interface ProgressDisplay {
  readonly listener: ProgressListener;
  /** Removes the bar (call once, also after a failure). */
  stop(): void;
}

export function createProgressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  return stream.isTTY ? barDisplay(stream) : lineDisplay(stream);
}

/** "svm case 2 (non-uniform) tau=adaptive" */
export function describeRun(run: RunSpec): string {
  return `${run.model} case ${caseLabel(run.case, run.minibatches)} tau=${formatTauMode(run.tauMode)}`;
}

/** "[3/48] svm case 1 (uniform) tau=2: loss 0.2312, accuracy 0.8605, mean tau 2, 311 rounds, 1.2 s" */
export function describeFinishedRun(
  event: Extract<ExperimentProgress, { kind: "run-end" }>,
): string {
  const r = event.record;
  const acc = r.testAccuracy === null ? "" : `, accuracy ${r.testAccuracy.toFixed(4)}`;
  return (
    `[${event.completed}/${event.total}] ${describeRun(event.run)}: loss ${r.finalLoss.toPrecision(5)}` +
    `${acc}, mean tau ${Number(r.meanTau.toPrecision(4))}, ${r.rounds} rounds, ${event.wallSeconds.toFixed(1)} s`
  );
}

function lineDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  return {
    listener: (e) => {
      if (e.kind === "run-end") stream.write(`${describeFinishedRun(e)}\n`);
    },
    stop: () => {},
  };
}

/** Value = finished runs + the budget share of the current run, so the bar moves within long runs. */
function barDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const bar = new SingleBar({
    stream,
    format: "{bar} {percentage}% | {done}/{total} runs | ETA {eta_formatted} | {run}",
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
    fps: 8,
  });
  let started = false;
  return {
    listener: (e) => {
      if (!started) {
        bar.start(e.total, 0, { done: 0, run: "" });
        started = true;
      }
      if (e.kind === "run-start") {
        bar.update(e.completed, { done: e.completed, run: describeRun(e.run) });
      } else if (e.kind === "round") {
        const share = Math.min(1, e.budgetShare);
        bar.update(e.completed + share, {
          done: e.completed,
          run: `${describeRun(e.run)}, round ${e.round}`,
        });
      } else {
        bar.update(e.completed, { done: e.completed, run: describeRun(e.run) });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
