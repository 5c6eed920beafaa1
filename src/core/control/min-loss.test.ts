import { describe, expect, it } from "vitest";
import { MinLossTracker } from "./min-loss.js";

const w = (v: number) => Float64Array.of(v, -v);

describe("MinLossTracker", () => {
  it("takes the first round's starting weights as the best", () => {
    const t = new MinLossTracker();
    expect(t.bestWeights()).toBeNull();
    const o = t.observe(1, w(1), [{ dataSize: 10, lossAtGlobal: 0.5 }]);
    expect(o).toEqual({ lossAtStart: 0.5, bestLoss: 0.5, startIsBest: true });
    expect(t.prevGlobalWasBest).toBe(true);
    expect(Array.from(t.bestWeights()!)).toEqual([1, -1]);
  });

  it("weights the nodes' lossAtGlobal by data size", () => {
    const t = new MinLossTracker();
    const o = t.observe(1, w(1), [
      { dataSize: 1, lossAtGlobal: 1 },
      { dataSize: 3, lossAtGlobal: 0.2 },
    ]);
    expect(o.lossAtStart).toBeCloseTo(0.4, 15);
  });

  it("keeps the weights with the smallest loss, not the last ones (full batch)", () => {
    const t = new MinLossTracker();
    t.observe(1, w(1), [{ dataSize: 1, lossAtGlobal: 0.5 }]);
    t.observe(2, w(2), [{ dataSize: 1, lossAtGlobal: 0.4 }]);
    expect(t.prevGlobalWasBest).toBe(true);
    const o = t.observe(3, w(3), [{ dataSize: 1, lossAtGlobal: 0.45 }]);
    expect(o.startIsBest).toBe(false);
    expect(t.prevGlobalWasBest).toBe(false);
    expect(Array.from(t.bestWeights()!)).toEqual([2, -2]);
    expect(t.bestLossSeen).toBe(0.4);
    expect(t.bestRoundSeen).toBe(2);
  });

  it("compares with the fresh loss of the best weights on the same minibatch (SGD)", () => {
    const t = new MinLossTracker();
    t.observe(1, w(1), [{ dataSize: 1, lossAtGlobal: 0.4 }]);
    // 0.42 > the stored 0.4, but on this minibatch the best weights do worse (0.44).
    const o = t.observe(2, w(2), [{ dataSize: 1, lossAtGlobal: 0.42, lossAtBest: 0.44 }]);
    expect(o.startIsBest).toBe(true);
    expect(Array.from(t.bestWeights()!)).toEqual([2, -2]);
    // 0.30 < 0.42, but the best weights do better on this minibatch (0.25).
    const p = t.observe(3, w(3), [{ dataSize: 1, lossAtGlobal: 0.3, lossAtBest: 0.25 }]);
    expect(p).toEqual({ lossAtStart: 0.3, bestLoss: 0.25, startIsBest: false });
    expect(Array.from(t.bestWeights()!)).toEqual([2, -2]);
  });

  it("compares over the nodes that sent lossAtBest when only some did", () => {
    const t = new MinLossTracker();
    t.observe(1, w(1), [{ dataSize: 1, lossAtGlobal: 0.4 }]);
    const o = t.observe(2, w(2), [
      { dataSize: 1, lossAtGlobal: 0.3, lossAtBest: 0.35 },
      // A node without lossAtBest (just joined) with a high loss must not tip the comparison.
      { dataSize: 3, lossAtGlobal: 0.9 },
    ]);
    expect(o.startIsBest).toBe(true);
    expect(o.lossAtStart).toBeCloseTo(0.75, 15);
  });

  it("learns nothing from a round without reports", () => {
    const t = new MinLossTracker();
    t.observe(1, w(1), [{ dataSize: 1, lossAtGlobal: 0.4 }]);
    const o = t.observe(2, w(2), []);
    expect(o).toEqual({ lossAtStart: null, bestLoss: 0.4, startIsBest: false });
    expect(t.prevGlobalWasBest).toBe(false);
  });

  it("hands out copies of the best weights", () => {
    const t = new MinLossTracker();
    const start = w(1);
    t.observe(1, start, [{ dataSize: 1, lossAtGlobal: 0.4 }]);
    start[0] = 99;
    t.bestWeights()![0] = 42;
    expect(Array.from(t.bestWeights()!)).toEqual([1, -1]);
  });

  it("survives a JSON round trip of its state", () => {
    const t = new MinLossTracker();
    t.observe(1, Float64Array.of(0.1, 1 / 3), [{ dataSize: 1, lossAtGlobal: 0.4 }]);
    t.observe(2, w(2), [{ dataSize: 1, lossAtGlobal: 0.5 }]);
    const copy = new MinLossTracker(JSON.parse(JSON.stringify(t.snapshot())));
    expect(copy.snapshot()).toEqual(t.snapshot());
    expect(copy.bestWeights()).toEqual(Float64Array.of(0.1, 1 / 3));
    expect(copy.prevGlobalWasBest).toBe(false);
  });
});
