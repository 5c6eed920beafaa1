import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { aggregatorOptionsOf, registerAggregatorCommand } from "./aggregator-command.js";
import { demoAggregatorOptions, registerDemoCommand } from "./demo-command.js";
import { registerExperimentCommand } from "./experiment-command.js";

type Register = (program: Command) => Command;

/** The command's flags after parsing `args`, its action replaced by nothing. */
async function flagsOf(register: Register, name: string, args: string[]) {
  const program = new Command("fedtau").exitOverride();
  const command = register(program)
    .exitOverride()
    .action(() => {});
  await program.parseAsync([name, ...args], { from: "user" });
  return command.opts();
}

/** What the command refuses `args` with: commander's error text, or the action's Error. */
async function refusal(register: Register, name: string, args: string[]): Promise<string> {
  const program = new Command("fedtau").exitOverride();
  let written = "";
  register(program)
    .exitOverride()
    .configureOutput({ writeErr: (s) => (written += s), writeOut: () => {} });
  try {
    await program.parseAsync([name, ...args], { from: "user" });
  } catch (e) {
    return written.trim() || (e instanceof Error ? e.message : String(e));
  }
  throw new Error(`${name} ${args.join(" ")} was accepted`);
}

describe("--budget on every command", () => {
  it("keeps a plain number a time budget in seconds", async () => {
    expect((await flagsOf(registerExperimentCommand, "experiment", [])).budget).toBe(15);
    expect((await flagsOf(registerDemoCommand, "demo", [])).budget).toBe(60);
    expect((await flagsOf(registerAggregatorCommand, "aggregator", [])).budget).toBeUndefined();
    const flags = await flagsOf(registerAggregatorCommand, "aggregator", ["--budget", "2m"]);
    expect(aggregatorOptionsOf(flags as never).setup.budget).toBe(120);
  });

  it("takes a budget per resource through to the runs' setup", async () => {
    const args = ["--budget", "time=30,bytes=3MB"];
    const flags = await flagsOf(registerAggregatorCommand, "aggregator", args);
    expect(aggregatorOptionsOf(flags as never).setup.budget).toEqual({ time: 30, bytes: 3e6 });
    const demo = await flagsOf(registerDemoCommand, "demo", args);
    expect(demoAggregatorOptions(demo as never).setup.budget).toEqual({ time: 30, bytes: 3e6 });
    const experiment = await flagsOf(registerExperimentCommand, "experiment", args);
    expect(experiment.budget).toEqual({ time: 30, bytes: 3e6 });
  });

  it("says what is wrong with the text, naming the flag", async () => {
    for (const [register, name] of [
      [registerExperimentCommand, "experiment"],
      [registerAggregatorCommand, "aggregator"],
      [registerDemoCommand, "demo"],
    ] as const) {
      expect(await refusal(register, name, ["--budget", "energy=5"])).toBe(
        `error: option '--budget <spec>' argument 'energy=5' is invalid. --budget: unknown resource "energy" in "energy=5" (expected time or bytes)`,
      );
    }
  });

  it("needs a time budget where adaptive tau or the lack of a round limit asks for one", async () => {
    const adaptive = "--budget needs a time budget: adaptive tau weighs updates against it";
    const bytes = ["--budget", "bytes=3MB"];
    expect(await refusal(registerExperimentCommand, "experiment", bytes)).toBe(adaptive);
    expect(await refusal(registerAggregatorCommand, "aggregator", bytes)).toBe(adaptive);
    expect(await refusal(registerDemoCommand, "demo", bytes)).toBe(adaptive);
    expect(await refusal(registerExperimentCommand, "experiment", [...bytes, "--taus", "5"])).toBe(
      "--budget needs a time budget: these runs have no round limit",
    );
    expect(await refusal(registerAggregatorCommand, "aggregator", [...bytes, "--tau", "5"])).toBe(
      "--budget needs a time budget when --rounds is not given",
    );
    const fixed = await flagsOf(registerAggregatorCommand, "aggregator", [
      ...bytes,
      ...["--tau", "5", "--rounds", "20"],
    ]);
    expect(aggregatorOptionsOf(fixed as never).setup).toMatchObject({
      budget: { bytes: 3e6 },
      rounds: 20,
    });
  });

  it("explains the forms in every command's --help", () => {
    for (const register of [
      registerExperimentCommand,
      registerAggregatorCommand,
      registerDemoCommand,
    ]) {
      const help = register(new Command("fedtau")).helpInformation();
      expect(help).toContain("--budget <spec>");
      expect(help.replace(/\s+/g, " ")).toContain("time=SECONDS,bytes=AMOUNT");
    }
  });
});
