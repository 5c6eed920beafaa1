import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticSplit } from "../aggregator/test-support/synthetic-split.js";
import { replayOutcome } from "../cli/replay-command.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { type SimulatedRecord, simulatedRecord } from "../sim/test-support/simulated-record.js";
import { replayDirectory, replayLines } from "./replay.js";

const split = syntheticSplit(400, 50, 16, 3);
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fedtau-replay-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function lines(dir: string): string[] {
  return readFileSync(join(dir, "rounds.jsonl"), "utf8").split("\n").filter(Boolean);
}

/** A copy of a record with its rounds.jsonl lines edited. */
function edited(from: string, edit: (lines: string[]) => string[]): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, "rounds.jsonl"),
    edit(lines(from))
      .map((l) => `${l}\n`)
      .join(""),
  );
  writeFileSync(join(dir, "controller.json"), readFileSync(join(from, "controller.json")));
  return dir;
}

/** Line `n` (from 1) of a record, changed as an event. */
function editEvent(n: number, change: (e: RoundEvent) => object): (lines: string[]) => string[] {
  return (ls) => ls.map((l, i) => (i === n - 1 ? JSON.stringify(change(JSON.parse(l))) : l));
}

function problems(dir: string): string[] {
  const r = replayDirectory(dir);
  if (r.ok) throw new Error("expected the replay to refuse the record");
  return r.problems.map((p) => p.message);
}

describe("fedtau replay of simulated runs", () => {
  // fedtau control, with node n2 lost in rounds 4 and 5: the decisions depend on `lost`.
  let lossy: SimulatedRecord;
  let paper: SimulatedRecord;
  let fixed: SimulatedRecord;

  beforeAll(async () => {
    const root = tempDir();
    lossy = await simulatedRecord({ split, dir: join(root, "lossy"), lose: { 1: [4, 5] } });
    paper = await simulatedRecord({ split, dir: join(root, "paper"), control: "paper" });
    fixed = await simulatedRecord({ split, dir: join(root, "fixed"), tauMode: 3, budget: 2 });
  });

  it("reproduces every decision of every run under a directory, in order", () => {
    expect(lossy.result.status).toBe("completed");
    const searched = lossy.events.filter((e) => e.tauReason === "search");
    expect(searched.length).toBeGreaterThan(3);
    expect(new Set(lossy.events.map((e) => e.tau)).size).toBeGreaterThan(2);
    expect(lossy.events[3].control.input.lost).toEqual(["n2"]);

    const root = join(lossy.dir, "..");
    const r = replayDirectory(root);
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("; "));
    const total = lossy.events.length + paper.events.length + fixed.events.length;
    expect(r.runs.map((x) => x.dir)).toEqual([fixed.dir, lossy.dir, paper.dir]);
    expect(r.decisions).toBe(total);
    expect(r.reproduced).toBe(total);
    expect(replayLines(r)).toEqual([
      `run ${fixed.dir}: ${fixed.events.length} of ${fixed.events.length} tau decisions reproduced (tau 3, fedtau control)`,
      `run ${lossy.dir}: ${lossy.events.length} of ${lossy.events.length} tau decisions reproduced (adaptive tau, fedtau control)`,
      `run ${paper.dir}: ${paper.events.length} of ${paper.events.length} tau decisions reproduced (adaptive tau, paper control)`,
      `${total} of ${total} tau decisions reproduced`,
    ]);
    expect(replayOutcome(root)).toEqual({
      stdout: replayLines(r),
      stderr: [],
      exitCode: 0,
    });
  });

  it("takes a run's directory, or its rounds.jsonl", () => {
    const n = lossy.events.length;
    for (const arg of [lossy.dir, join(lossy.dir, "rounds.jsonl")]) {
      const out = replayOutcome(arg);
      expect(out.exitCode).toBe(0);
      expect(out.stdout.at(-1)).toBe(`${n} of ${n} tau decisions reproduced`);
    }
  });

  it("catches a tampered tau at its round, and exits 1", () => {
    const n = lossy.events.length;
    const k = lossy.events.findIndex((e, i) => i >= 4 && e.tauReason === "search") + 1;
    const tau = lossy.events[k - 1].control.output.tau!;
    const dir = edited(
      lossy.dir,
      editEvent(k, (e) => ({
        ...e,
        nextTau: tau + 1,
        control: { ...e.control, output: { ...e.control.output, tau: tau + 1 } },
      })),
    );
    expect(replayOutcome(dir)).toEqual({
      stdout: [
        `run ${dir}: round ${k}: recorded tau ${tau + 1}, replayed tau ${tau}`,
        `${n - 1} of ${n} tau decisions reproduced`,
      ],
      stderr: [],
      exitCode: 1,
    });
    // The event's own nextTau alone is checked too.
    const only = edited(
      lossy.dir,
      editEvent(k, (e) => ({ ...e, nextTau: tau + 2 })),
    );
    expect(replayOutcome(only).stdout[0]).toBe(
      `run ${only}: round ${k}: recorded tau ${tau + 2}, replayed tau ${tau}`,
    );
  });

  it("catches a tampered kind and a tampered reason", () => {
    const kind = edited(
      lossy.dir,
      editEvent(3, (e) => ({
        ...e,
        control: { ...e.control, output: { ...e.control.output, kind: "last-full" } },
      })),
    );
    expect(replayOutcome(kind).stdout[0]).toBe(
      `run ${kind}: round 3: recorded kind last-full, replayed kind full`,
    );
    const text = lossy.events[2].control.output.change.text;
    const reason = edited(
      lossy.dir,
      editEvent(3, (e) => ({
        ...e,
        control: {
          ...e.control,
          output: { ...e.control.output, change: { cause: "costs", text: "tau 1 -> 1: b" } },
        },
      })),
    );
    expect(replayOutcome(reason).stdout[0]).toBe(
      `run ${reason}: round 3: recorded change "tau 1 -> 1: b", replayed "${text}"`,
    );
  });

  it("depends on every recorded input: without the lost nodes the decisions differ", () => {
    const dir = edited(lossy.dir, (ls) =>
      ls.map((l) => {
        const e = JSON.parse(l) as RoundEvent;
        return JSON.stringify({
          ...e,
          control: { ...e.control, input: { ...e.control.input, lost: [] } },
        });
      }),
    );
    const r = replayDirectory(dir);
    if (!r.ok) throw new Error("unexpected problems");
    expect(r.reproduced).toBeLessThan(r.decisions);
    // Round 4 lost n2: the first decision that used `lost` (b not sampled, "(lost)" said).
    expect(lossy.events[3].control.output.change.text).toContain("n2 left (lost)");
    expect(r.runs[0].firstDifference).toMatch(/^round 4: recorded /);
    // And a changed cost moves the controller off the recorded course (the paper's rules: the
    // latest b, no robust estimate to absorb one changed round).
    const k = paper.events.findIndex((e, i) => i >= 3 && e.tauReason === "search") + 1;
    const costly = edited(
      paper.dir,
      editEvent(k, (e) => ({
        ...e,
        control: {
          ...e.control,
          input: {
            ...e.control.input,
            cost: { time: { ...e.control.input.cost.time, aggregation: 10 } },
          },
        },
      })),
    );
    const c = replayDirectory(costly);
    expect(c.ok && c.runs[0].firstDifference).toMatch(
      new RegExp(`^round ${k}: recorded tau \\d+, replayed tau \\d+$`),
    );
  });

  it("refuses a record that cannot be read, naming the file and line, and exits 2", () => {
    const rounds = (dir: string) => join(dir, "rounds.jsonl");
    const controller = (dir: string) => join(dir, "controller.json");

    const bad = '{"round":3,"tau":';
    let parseError = "";
    try {
      JSON.parse(bad);
    } catch (e) {
      parseError = (e as Error).message;
    }
    const notJson = edited(lossy.dir, (ls) => ls.map((l, i) => (i === 2 ? bad : l)));
    expect(replayOutcome(notJson)).toEqual({
      stdout: [],
      stderr: [`${rounds(notJson)} line 3: not JSON (${parseError})`],
      exitCode: 2,
    });

    const noControl = edited(
      lossy.dir,
      editEvent(5, (e) => ({ ...e, control: undefined })),
    );
    expect(problems(noControl)).toEqual([
      `${rounds(noControl)} line 5: round 5 has no control record (written by a fedtau from before the controller's decisions were recorded)`,
    ]);

    const missing = tempDir();
    writeFileSync(rounds(missing), readFileSync(rounds(lossy.dir)));
    expect(problems(missing)).toEqual([
      `${controller(missing)}: missing: without the controller's config the decisions in rounds.jsonl cannot be replayed`,
    ]);

    const cases: [string, (ls: string[]) => string[], string][] = [
      ["an empty line", (ls) => [ls[0], "", ...ls.slice(1)], "line 2: an empty line"],
      ["a JSON array", (ls) => ["[1]", ...ls.slice(1)], "line 1: not a JSON object"],
      [
        "a round missing",
        (ls) => [ls[0], ...ls.slice(2)],
        "line 2: round 3 where round 2 was expected",
      ],
      ["no round", () => [], ": no round recorded"],
      [
        "a cost without time",
        editEvent(4, (e) => ({
          ...e,
          control: { ...e.control, input: { ...e.control.input, cost: {} } },
        })),
        "line 4: round 4: control.input.cost has no time",
      ],
      [
        "a bad node",
        editEvent(4, (e) => ({
          ...e,
          control: {
            ...e.control,
            input: { ...e.control.input, nodes: [e.control.input.nodes[0], { id: "n2" }] },
          },
        })),
        "line 4: round 4: control.input.nodes[1] is not {id, localSeconds, tauDone}",
      ],
      [
        "no output",
        editEvent(2, (e) => ({ ...e, control: { input: e.control.input } })),
        "line 2: round 2: the control record has no output",
      ],
      [
        "a string nextTau",
        editEvent(2, (e) => ({ ...e, nextTau: "3" })),
        "line 2: round 2: nextTau is not a number or null",
      ],
    ];
    for (const [, edit, what] of cases) {
      const dir = edited(lossy.dir, edit);
      const sep = what.startsWith(":") ? "" : " ";
      expect(problems(dir)).toEqual([`${rounds(dir)}${sep}${what}`]);
    }

    const config = JSON.parse(readFileSync(controller(lossy.dir), "utf8"));
    const controllerCases: [string, string][] = [
      ["{", "not JSON"],
      [
        JSON.stringify({ ...config, version: 2 }),
        "unknown version 2 (this fedtau reads version 1)",
      ],
      [
        JSON.stringify({ config: config.config }),
        "unknown version (none) (this fedtau reads version 1)",
      ],
      [JSON.stringify({ version: 1 }), "no config object"],
      [
        JSON.stringify({ version: 1, config: { ...config.config, eta: -1 } }),
        "config: eta must be a finite number > 0, got -1",
      ],
      [
        JSON.stringify({ version: 1, config: { ...config.config, tauMax: undefined } }),
        'config has no "tauMax"',
      ],
      [
        JSON.stringify({ version: 1, config: { ...config.config, budget: {} } }),
        'config: adaptive tau needs a "time" budget: the tau search weighs updates against it',
      ],
      [
        JSON.stringify({ version: 1, config: { ...config.config, control: "magic" } }),
        "config: control must be one of fedtau, paper, got magic",
      ],
    ];
    for (const [text, what] of controllerCases) {
      const dir = edited(lossy.dir, (ls) => ls);
      writeFileSync(controller(dir), text);
      const [message] = problems(dir);
      if (what === "not JSON")
        expect(message).toMatch(new RegExp(`^${controller(dir)}: not JSON \\(.+\\)$`));
      else expect(message).toBe(`${controller(dir)}: ${what}`);
    }
  });

  it("says when there is nothing to replay, and names every unreadable run", () => {
    const empty = tempDir();
    expect(problems(empty)).toEqual([`${empty}: no rounds.jsonl in it or below it`]);
    expect(problems(join(empty, "nope"))).toEqual([
      `${join(empty, "nope")}: no such file or directory`,
    ]);
    writeFileSync(join(empty, "notes.txt"), "x");
    expect(problems(join(empty, "notes.txt"))).toEqual([
      `${join(empty, "notes.txt")}: not a directory, nor a rounds.jsonl`,
    ]);

    const root = tempDir();
    for (const name of ["run-10", "run-2", "run-1"]) mkdirSync(join(root, name));
    writeFileSync(join(root, "run-2", "rounds.jsonl"), "");
    writeFileSync(join(root, "run-10", "rounds.jsonl"), "{\n");
    writeFileSync(
      join(root, "run-1", "rounds.jsonl"),
      readFileSync(join(lossy.dir, "rounds.jsonl")),
    );
    const out = replayOutcome(root);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toEqual([
      `${join(root, "run-1", "controller.json")}: missing: without the controller's config the decisions in rounds.jsonl cannot be replayed`,
      `${join(root, "run-2", "rounds.jsonl")}: no round recorded`,
      expect.stringMatching(
        new RegExp(`^${join(root, "run-10", "rounds.jsonl")} line 1: not JSON \\(`),
      ),
    ]);
  });
});
