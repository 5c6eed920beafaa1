import { describe, expect, it } from "vitest";
import { type RunConfig, resolveRunConfig, runConfigProblems } from "./run-config.js";

const ok: RunConfig = {
  modelSize: 3,
  initialWeights: new Float64Array(3),
  eta: 0.01,
  tauMode: "adaptive",
  budget: { time: 15 },
};

describe("run config", () => {
  it("fills in the authors' defaults", () => {
    expect(resolveRunConfig(ok)).toMatchObject({
      phi: 0.025,
      gamma: 0,
      tauMax: 100,
      useMinLoss: true,
      maxRounds: null,
      maxEmptyRounds: 3,
    });
    expect(runConfigProblems(ok)).toEqual([]);
  });

  it("needs a time budget for adaptive tau, a budget or maxRounds for a fixed one", () => {
    expect(runConfigProblems({ ...ok, budget: undefined, maxRounds: 5 })).toEqual([
      'adaptive tau needs a "time" budget: the tau search weighs updates against it',
    ]);
    expect(runConfigProblems({ ...ok, tauMode: 4, budget: { bytes: 10 } })).toEqual([
      'a run needs a "time" budget or maxRounds',
    ]);
    expect(runConfigProblems({ ...ok, tauMode: 4, budget: undefined, maxRounds: 5 })).toEqual([]);
  });

  it("names every bad value", () => {
    const bad: RunConfig = {
      modelSize: 3,
      initialWeights: Float64Array.of(0, Number.NaN, 0),
      eta: 0.01,
      phi: -1,
      gamma: 1,
      tauMode: 2.5,
      tauMax: 0,
      maxRounds: 0,
      maxEmptyRounds: 1.5,
      budget: { time: Number.POSITIVE_INFINITY },
    };
    expect(runConfigProblems(bad)).toEqual([
      "initialWeights must all be finite",
      "phi must be a finite number > 0, got -1",
      "gamma must be in [0, 1), got 1",
      'tauMode must be "adaptive" or an integer >= 1, got 2.5',
      "tauMax must be an integer >= 1, got 0",
      "maxRounds must be an integer >= 1, got 0",
      "maxEmptyRounds must be an integer >= 1, got 1.5",
      'the "time" budget must be a finite number > 0, got Infinity',
    ]);
  });
});
