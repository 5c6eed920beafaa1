import type { Command } from "commander";
import { replayDirectory, replayLines } from "../record/replay.js";

/** What `fedtau replay DIR` prints and its exit code: 0 all reproduced, 1 not all, 2 bad input. */
export interface ReplayOutcome {
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  readonly exitCode: 0 | 1 | 2;
}

export function replayOutcome(dir: string): ReplayOutcome {
  const replay = replayDirectory(dir);
  if (!replay.ok) {
    return { stdout: [], stderr: replay.problems.map((p) => p.message), exitCode: 2 };
  }
  const all = replay.reproduced === replay.decisions;
  return { stdout: replayLines(replay), stderr: [], exitCode: all ? 0 : 1 };
}

/** Registers `fedtau replay DIR`. */
export function registerReplayCommand(program: Command): Command {
  return program
    .command("replay")
    .summary("re-run the controller on recorded runs and check every tau decision")
    .description(
      [
        "Finds every recorded run in DIR or below it (a directory with rounds.jsonl and",
        "controller.json: an aggregator's --out, its run-<k>/ directories, or",
        "`fedtau experiment --record` runs/), feeds a fresh controller of the recorded",
        "config the recorded inputs of each round (costs, estimates, nodes), and checks",
        "each decision against the recorded one: the next tau, the next round's kind and",
        "the reason given. One line per run, then `K of N tau decisions reproduced`.",
        "",
        "Exit status: 0 when every decision is reproduced; 1 when one is not (the line",
        "names the first round that differs); 2 when a record cannot be read (the",
        "message names the file and line).",
      ].join("\n"),
    )
    .argument("<dir>", "a run's directory, or one holding several")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  fedtau replay aggregator-out",
        "  fedtau experiment --cases 1 --record --out exp && fedtau replay exp",
      ].join("\n"),
    )
    .action((dir: string) => {
      const outcome = replayOutcome(dir);
      for (const line of outcome.stdout) process.stdout.write(`${line}\n`);
      for (const line of outcome.stderr) process.stderr.write(`${line}\n`);
      process.exitCode = outcome.exitCode;
    });
}
