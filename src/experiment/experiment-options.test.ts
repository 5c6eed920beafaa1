import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, resolveSettings } from "./experiment-options.js";
import { countRuns, planExperiment } from "./experiment-plan.js";

describe("experiment settings", () => {
  it("defaults to the paper's SVM experiment", () => {
    const s = resolveSettings();
    expect(s).toEqual(DEFAULT_SETTINGS);
    expect(s.models).toEqual(["svm"]);
    expect(s.cases).toEqual([1, 2, 3, 4]);
    expect(s.taus).toEqual(["adaptive", 1, 2, 3, 5, 7, 10, 20, 30, 50, 70, 100]);
    expect(s.budget).toBe(15);
    expect(s.sgd).toBeUndefined();
  });

  it("takes a budget per resource", () => {
    expect(resolveSettings({ budget: { time: 15, bytes: 2e6 } }).budget).toEqual({
      time: 15,
      bytes: 2e6,
    });
  });

  it("keeps what is given and ignores undefined", () => {
    const s = resolveSettings({ nodes: 3, sgd: 100, eta: undefined });
    expect(s.nodes).toBe(3);
    expect(s.sgd).toBe(100);
    expect(s.eta).toBe(0.01);
  });

  it.each([
    [{ nodes: 0 }, /Bad nodes 0/],
    [{ nodes: 2.5 }, /Bad nodes 2.5/],
    [{ budget: -1 }, /Bad budget -1/],
    [{ budget: Number.NaN }, /Bad budget NaN/],
    [{ budget: { time: 5, energy: 1 } }, /^Bad budget resource "energy": expected time or bytes$/],
    [{ budget: { time: 5, bytes: 0 } }, /^Bad bytes budget 0: expected a positive number$/],
    [
      { budget: { bytes: 1e6 } },
      /^Bad budget: no time budget, which every run needs \(it has no round limit\)$/,
    ],
    [{ eta: 0 }, /Bad eta 0/],
    [{ sgd: 0 }, /Bad SGD batch size 0/],
    [{ cases: [] }, /No case/],
    [{ cases: [5 as 1] }, /Unknown case 5/],
    [{ taus: [0] }, /Bad tau setting 0/],
    [{ taus: [2, 2] }, /listed twice/],
    [{ cost: "free" as "simulated" }, /Bad cost mode "free"/],
    [{ globalCostScale: 0 }, /Bad global cost scale 0/],
    [{ models: [] }, /No model/],
    [{ seed: -1 }, /Bad seed -1/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveSettings(options)).toThrow(message);
  });
});

describe("experiment plan", () => {
  it("groups runs by model then case, tau settings in the order given", () => {
    const groups = planExperiment(
      resolveSettings({ models: ["svm", "logistic"], cases: [2, 1], taus: ["adaptive", 5] }),
    );
    expect(groups.map((g) => [g.model, g.case])).toEqual([
      ["svm", 2],
      ["svm", 1],
      ["logistic", 2],
      ["logistic", 1],
    ]);
    expect(groups[1].runs).toEqual([
      { index: 2, model: "svm", case: 1, minibatches: null, tauMode: "adaptive" },
      { index: 3, model: "svm", case: 1, minibatches: null, tauMode: 5 },
    ]);
    expect(countRuns(groups)).toBe(8);
  });

  it("has 48 runs by default", () => {
    expect(countRuns(planExperiment(resolveSettings()))).toBe(48);
  });

  it("under SGD with shared streams, runs case 3 again with independent streams, beside it", () => {
    const groups = planExperiment(
      resolveSettings({ models: ["svm", "logistic"], cases: [3, 1], taus: [1, 5], sgd: 10 }),
    );
    expect(groups.map((g) => [g.model, g.case, g.minibatches])).toEqual([
      ["svm", 3, "shared"],
      ["svm", 3, "independent"],
      ["svm", 1, "shared"],
      ["logistic", 3, "shared"],
      ["logistic", 3, "independent"],
      ["logistic", 1, "shared"],
    ]);
    expect(groups[1].runs).toEqual([
      { index: 2, model: "svm", case: 3, minibatches: "independent", tauMode: 1 },
      { index: 3, model: "svm", case: 3, minibatches: "independent", tauMode: 5 },
    ]);
    expect(groups.flatMap((g) => g.runs.map((r) => r.index))).toEqual([...Array(12).keys()]);
    expect(countRuns(planExperiment(resolveSettings({ sgd: 100 })))).toBe(60);
  });

  it("runs case 3 once with independent streams, or under full-batch descent", () => {
    const once = (o: Parameters<typeof resolveSettings>[0]) =>
      planExperiment(resolveSettings({ cases: [3], taus: [1], ...o })).map((g) => g.minibatches);
    expect(once({ sgd: 10, minibatches: "independent" })).toEqual(["independent"]);
    expect(once({})).toEqual([null]);
  });
});

describe("experiment settings: names", () => {
  it.each([
    [{ models: ["svm", "nope"] }, /Unknown model "nope"/],
    [{ dataset: "mnits" }, /Unknown data set "mnits"/],
    [{ task: "parity" }, /Unknown task "parity"/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveSettings(options)).toThrow(message);
  });
});
