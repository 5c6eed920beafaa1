import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerBenchCommand } from "./bench-command.js";

function program() {
  const out: string[] = [];
  const err: string[] = [];
  const p = new Command("fedtau").exitOverride();
  p.configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
  registerBenchCommand(p, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { p, out, err };
}

describe("fedtau bench", () => {
  it("prints one JSON object on stdout with --json, progress on the other stream", async () => {
    const { p, out, err } = program();
    await p.parseAsync(
      ["bench", "--json", "--no-numpy", "--no-round", "--runs", "20", "--sizes", "12,5"],
      {
        from: "user",
      },
    );
    expect(out).toHaveLength(1);
    const r = JSON.parse(out[0]);
    expect(r.kernels).toMatch(/^(wasm-simd|reference)$/);
    expect(r.sizes.map((s: { rows: number }) => s.rows)).toEqual([12, 5]);
    expect(r.sizes[0]).toHaveProperty("fedtauMs");
    expect(r.sizes[0].numpyMs).toBeNull();
    expect(err.length).toBeGreaterThan(0);
  });

  it("prints a table by default", async () => {
    const { p, out } = program();
    await p.parseAsync(["bench", "--no-numpy", "--no-round", "--runs", "20", "--sizes", "6"], {
      from: "user",
    });
    expect(out[0]).toContain("Smooth-SVM gradient");
    expect(out[0]).toMatch(/\n\s*6\s/);
  });

  it("rejects fewer than 20 runs and bad sizes", async () => {
    const { p, err } = program();
    await expect(p.parseAsync(["bench", "--runs", "5"], { from: "user" })).rejects.toThrow();
    expect(err.join("")).toContain('expected an integer of at least 20, got "5"');
    const second = program();
    await expect(
      second.p.parseAsync(["bench", "--sizes", "10,x"], { from: "user" }),
    ).rejects.toThrow();
    expect(second.err.join("")).toContain(
      'expected comma-separated positive row counts, got "10,x"',
    );
  });

  it("checks the --scale flags", async () => {
    const { p, err } = program();
    await expect(
      p.parseAsync(["bench", "--scale", "--scale-nodes", "5,0"], { from: "user" }),
    ).rejects.toThrow();
    expect(err.join("")).toContain(
      'expected comma-separated node counts from 1 to 10000, got "5,0"',
    );
    const second = program();
    await expect(
      second.p.parseAsync(["bench", "--scale", "--scale-rounds", "x"], { from: "user" }),
    ).rejects.toThrow();
    expect(second.err.join("")).toContain('expected an integer of at least 1, got "x"');
  });

  it("describes itself in --help", async () => {
    const { p, out } = program();
    await expect(p.parseAsync(["bench", "--help"], { from: "user" })).rejects.toThrow();
    const help = out.join("");
    expect(help).toContain("numpy on one BLAS thread");
    for (const flag of [
      "--json",
      "--runs <n>",
      "--no-numpy",
      "--sizes <rows>",
      "--kernels <backend>",
      "--scale",
      "--scale-nodes <counts>",
    ]) {
      expect(help).toContain(flag);
    }
  });
});
