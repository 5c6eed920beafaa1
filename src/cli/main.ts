import { Command } from "commander";
import { registerAggregatorCommand } from "./aggregator-command.js";
import { registerBenchCommand } from "./bench-command.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerExperimentCommand } from "./experiment-command.js";
import { registerNodeCommand } from "./node-command.js";
import { registerReplayCommand } from "./replay-command.js";

/** Builds the `fedtau` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command("fedtau")
    .description(
      "Adaptive federated learning on resource-constrained edge devices: nodes train locally for tau steps, an aggregator averages, and tau adapts to the measured costs.",
    )
    .version("0.1.0")
    .showHelpAfterError();
  registerDemoCommand(program);
  registerAggregatorCommand(program);
  registerExperimentCommand(program);
  registerBenchCommand(program);
  registerNodeCommand(program);
  registerReplayCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await buildProgram().parseAsync(argv as string[]);
}
