import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { nodeRng } from "./node-rng.js";

describe("nodeRng", () => {
  it("is the simulator's stream Rng(seed).fork(i)", () => {
    for (const [seed, i] of [
      [0, 0],
      [7, 3],
      [4_000_000_000, 9],
    ]) {
      const a = nodeRng(seed, i);
      const b = new Rng(seed).fork(i);
      expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
    }
  });

  it("gives different nodes different streams", () => {
    expect(nodeRng(1, 0).nextU32()).not.toBe(nodeRng(1, 1).nextU32());
  });
});

describe("nodeRng with shared streams", () => {
  it("gives every node the run's own stream", () => {
    expect(nodeRng(4, 0, "shared").nextU32()).toBe(nodeRng(4, 3, "shared").nextU32());
    expect(nodeRng(4, 3, "shared").nextU32()).toBe(new Rng(4).nextU32());
  });
});
