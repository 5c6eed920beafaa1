// Tests of src/cli/experiment-command.ts (kept here, beside the experiment code it drives).
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { registerExperimentCommand } from "./experiment-command.js";

function program(): { cmd: Command; errors: string[] } {
  const errors: string[] = [];
  const cmd = new Command("fedtau").exitOverride().configureOutput({
    writeErr: (s) => errors.push(s),
    writeOut: () => {},
  });
  registerExperimentCommand(cmd);
  for (const c of cmd.commands)
    c.exitOverride().configureOutput({ writeErr: (s) => errors.push(s) });
  return { cmd, errors };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("fedtau experiment", () => {
  it.each([
    [["--cases", "1,5"], /Unknown case "5"/],
    [["--taus", "adaptive,0"], /Bad tau setting "0"/],
    [["--taus", "adaptive,2,2"], /listed twice/],
    [["--sgd", "0"], /--sgd needs an integer >= 1, got "0"/],
    [["--budget", "soon"], /--budget needs a positive number/],
    [["--cost", "free"], /Allowed choices are simulated, measured/],
    [["--model", "svm,tree"], /Unknown model "tree"/],
    [["--task", "parity"], /Allowed choices are even-odd, digits, value/],
    [["--dataset", "idx:"], /needs a directory/],
    [["--nodes", "2.5"], /--nodes needs an integer >= 1/],
  ])("rejects %j with a clear message", async (args, message) => {
    const { cmd, errors } = program();
    await expect(cmd.parseAsync(["experiment", ...args], { from: "user" })).rejects.toThrow();
    expect(errors.join("")).toMatch(message);
  });

  it("runs an experiment into --out, one progress line per run when not a TTY", async () => {
    const out = await mkdtemp(join(tmpdir(), "fedtau-cli-"));
    dirs.push(out);
    const err: string[] = [];
    const stdout: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      stdout.push(String(s));
      return true;
    });
    const { cmd } = program();
    await cmd.parseAsync(
      [
        "experiment",
        "--nodes",
        "2",
        "--cases",
        "uniform",
        "--taus",
        "adaptive,3",
        "--budget",
        "1",
      ].concat(["--sgd", "20", "--out", out]),
      { from: "user" },
    );
    vi.restoreAllMocks();
    expect((await readdir(out)).sort()).toEqual([
      "report.html",
      "results.csv",
      "results.json",
      "rounds.csv",
    ]);
    const lines = err.join("").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[1\/2\] svm case 1 \(uniform\) tau=adaptive: loss /);
    expect(stdout.join("")).toMatch(/svm case 1 \(uniform\): adaptive loss .*best fixed tau=3/);
  });

  it("summarises case 3 with shared and with independent minibatches, one line each", async () => {
    const out = await mkdtemp(join(tmpdir(), "fedtau-cli-"));
    dirs.push(out);
    const stdout: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      stdout.push(String(s));
      return true;
    });
    const { cmd } = program();
    await cmd.parseAsync(
      [
        "experiment",
        "--nodes",
        "2",
        "--cases",
        "3",
        "--taus",
        "adaptive,3",
        "--budget",
        "0.5",
      ].concat(["--sgd", "20", "--out", out]),
      { from: "user" },
    );
    vi.restoreAllMocks();
    const lines = stdout.join("").trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^svm case 3 \(replicated, shared minibatches\): adaptive loss /);
    expect(lines[1]).toMatch(/^svm case 3 \(replicated, independent minibatches\): adaptive loss /);
    expect(lines[2]).toMatch(/^4 runs in /);
    expect(err.join("")).toMatch(
      /\[3\/4\] svm case 3 \(replicated, independent minibatches\) tau=adaptive: loss /,
    );
  });
});
