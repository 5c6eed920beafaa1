import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerNodeCommand } from "./node-command.js";

/** The error commander reports for these arguments (the action never runs). */
async function refusal(args: string[]): Promise<string> {
  const program = new Command("fedtau").exitOverride();
  let written = "";
  registerNodeCommand(program)
    .exitOverride()
    .configureOutput({ writeErr: (s) => (written += s), writeOut: () => {} });
  await expect(program.parseAsync(["node", ...args], { from: "user" })).rejects.toThrow();
  return written.trim();
}

describe("fedtau node flags", () => {
  it("needs a ws:// aggregator address", async () => {
    expect(await refusal([])).toContain("required option '--aggregator <url>' not specified");
    expect(await refusal(["--aggregator", "http://127.0.0.1:1"])).toContain(
      '--aggregator needs a ws://HOST:PORT address, got "http://127.0.0.1:1"',
    );
  });

  it("checks the name, the delay and the frame limit", async () => {
    const agg = ["--aggregator", "ws://127.0.0.1:1"];
    expect(await refusal([...agg, "--name", "pi kitchen"])).toContain(
      'Invalid node name "pi kitchen": use 1 to 64 characters from A-Z a-z 0-9 . _ -',
    );
    expect(await refusal([...agg, "--delay", "-5"])).toContain(
      '--delay needs a number of milliseconds >= 0, got "-5"',
    );
    expect(await refusal([...agg, "--max-message-bytes", "12"])).toContain(
      "--max-message-bytes needs an integer >= 1024",
    );
    expect(await refusal([...agg, "--log", "xml"])).toContain("Allowed choices are text, json");
    expect(await refusal([...agg, "--data", "/no/such/file.csv"])).toContain(
      'Cannot use --data "/no/such/file.csv": no such file or directory',
    );
  });

  it("checks --count K", async () => {
    const agg = ["--aggregator", "ws://127.0.0.1:1"];
    expect(await refusal([...agg, "--count", "0"])).toContain(
      '--count needs an integer from 1 to 10000, got "0"',
    );
    expect(await refusal([...agg, "--count", "2.5"])).toContain("--count needs an integer");
  });

  it("explains every flag in --help", () => {
    const program = new Command("fedtau");
    const help = registerNodeCommand(program).helpInformation();
    for (const flag of [
      "--aggregator",
      "--name",
      "--token",
      "FEDTAU_TOKEN",
      "--data",
      "--delay",
      "--share-preview",
      "--log",
      "--quiet",
      "--max-message-bytes",
      "--count <k>",
    ]) {
      expect(help).toContain(flag);
    }
  });
});
