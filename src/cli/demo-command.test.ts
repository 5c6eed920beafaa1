import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { DEMO_DEFAULTS, demoAggregatorOptions, registerDemoCommand } from "./demo-command.js";

/** The error commander reports for these arguments (the action never runs). */
async function refusal(args: string[]): Promise<string> {
  const program = new Command("fedtau").exitOverride();
  let written = "";
  registerDemoCommand(program)
    .exitOverride()
    .configureOutput({ writeErr: (s) => (written += s), writeOut: () => {} });
  await expect(program.parseAsync(["demo", ...args], { from: "user" })).rejects.toThrow();
  return written.trim();
}

describe("fedtau demo", () => {
  it("runs smooth SVM even/odd, case 1, adaptive tau, forever, on loopback", () => {
    const o = demoAggregatorOptions({
      port: 7420,
      nodes: 5,
      budget: 60,
      delay: 30,
      control: "fedtau",
    });
    expect(o).toMatchObject({ host: "127.0.0.1", port: 7420, nodes: 5, runs: 0 });
    expect(o.setup).toMatchObject({
      model: { kind: "svm" },
      dataset: "mnist",
      task: "even-odd",
      case: 1,
      tau: "adaptive",
      control: "fedtau",
      budget: 60,
    });
    expect(o.delays).toEqual([{ target: "all", ms: 30 }]);
    expect(DEMO_DEFAULTS).toEqual({ nodes: 5, budget: 60, delayMs: 30 });
  });

  it("listens on every interface with --open-to-lan", () => {
    const o = demoAggregatorOptions({
      port: 0,
      nodes: 2,
      budget: 5,
      delay: 0,
      control: "paper",
      openToLan: true,
    });
    expect(o.host).toBe("0.0.0.0");
    expect(o.setup.control).toBe("paper");
  });

  it("checks its flags", async () => {
    expect(await refusal(["--nodes", "0"])).toContain("--nodes needs an integer from 1 to 32");
    expect(await refusal(["--budget", "-1"])).toContain("--budget needs a positive number");
    expect(await refusal(["--port", "70000"])).toContain("--port needs an integer from 0 to 65535");
  });
});
