import { describe, expect, it } from "vitest";
import type { AggregatorOptions } from "../aggregator/aggregator.js";
import type { AggregatorCheckpoint } from "../aggregator/checkpoint.js";
import { CheckpointError } from "../aggregator/checkpoint-file.js";
import type { ResumePoint } from "../aggregator/checkpoint-resume.js";
import type { LearningSetup } from "../aggregator/learning-setup.js";
import { resumedOptions } from "./resume-options.js";

const saved: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 2,
  tau: 4,
  eta: 0.05,
  phi: 0.025,
  seed: 5,
  rounds: 20,
};

const point = {
  dir: "/runs/a",
  path: "/runs/a/checkpoint.json",
  checkpoint: {
    plan: { nodes: 5, minNodes: 3, runs: 1, setup: saved, variants: [], idPrefix: "rx" },
  } as unknown as AggregatorCheckpoint,
} as unknown as ResumePoint;

/** What the flags give with their defaults, and a port and a token. */
const flagged: AggregatorOptions = {
  host: "127.0.0.1",
  port: 7420,
  nodes: 5,
  runs: 1,
  setup: { ...saved, case: 1, tau: "adaptive", seed: 1, rounds: undefined },
  token: "s3cret",
  out: "./aggregator-out",
};

describe("fedtau aggregator --resume: options", () => {
  it("takes what to run from the checkpoint and how to run it from the flags", () => {
    const o = resumedOptions(flagged, point, (name) => name === "port");
    expect(o.setup).toBe(saved);
    expect(o.nodes).toBe(5);
    expect(o.minNodes).toBe(3);
    expect(o.runs).toBe(1);
    expect(o.variants).toBeUndefined();
    expect(o.out).toBe("/runs/a");
    expect(o.port).toBe(7420);
    expect(o.token).toBe("s3cret");
    expect(o.resumeFrom).toBe(point);
  });

  it("accepts the same flags again", () => {
    const same = { ...flagged, setup: saved, minNodes: 3, out: "/runs/a/" };
    const given = ["tau", "case", "seed", "rounds", "nodes", "minNodes", "out", "eta"];
    expect(() => resumedOptions(same, point, (n) => given.includes(n))).not.toThrow();
  });

  it("refuses flags that say another setup, naming the checkpoint", () => {
    const given = ["tau", "seed", "eta"];
    const call = () =>
      resumedOptions({ ...flagged, setup: { ...saved, tau: 5 } }, point, (n) => given.includes(n));
    expect(call).toThrow(CheckpointError);
    expect(call).toThrow(
      "Cannot resume from /runs/a/checkpoint.json: --tau [5] given, [4] in the checkpoint. Leave those flags out",
    );
    expect(() => resumedOptions(flagged, point, (n) => n === "out")).toThrow(
      "--out ./aggregator-out given: a resumed run writes on in /runs/a",
    );
    expect(() =>
      resumedOptions({ ...flagged, minNodes: 2 }, point, (n) => n === "minNodes"),
    ).toThrow("--min-nodes 2 given, 3 in the checkpoint");
  });
});
