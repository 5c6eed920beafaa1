import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { MinibatchSampler } from "./minibatch-sampler.js";

describe("MinibatchSampler", () => {
  it("draws distinct rows within a minibatch and every row once per pass", () => {
    const s = new MinibatchSampler(10, 3, new Rng(1));
    const pass = [...s.next(), ...s.next(), ...s.next()];
    expect(new Set(pass).size).toBe(9);
    for (const i of pass) expect(i).toBeLessThan(10);
    // One row is left: the next minibatch comes from a reshuffled order.
    const b = s.next();
    expect(b.length).toBe(3);
    expect(new Set(b).size).toBe(3);
  });

  it("uses the last full slice before reshuffling", () => {
    const s = new MinibatchSampler(6, 3, new Rng(2));
    const pass = [...s.next(), ...s.next()];
    expect([...pass].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("is reproducible by seed", () => {
    const draw = (seed: number) => {
      const s = new MinibatchSampler(50, 7, new Rng(seed));
      return Array.from({ length: 20 }, () => Array.from(s.next()));
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it("refuses a batch size outside 1..rows", () => {
    expect(() => new MinibatchSampler(4, 5, new Rng(1))).toThrow(
      "Cannot sample minibatches: batch size must be an integer in 1..4 (the rows available), got 5",
    );
    expect(() => new MinibatchSampler(4, 0, new Rng(1))).toThrow("got 0");
  });
});
