import { describe, expect, it } from "vitest";
import { Rng } from "../data/rng.js";
import { allFinite, WeightedSum, weightedAverage } from "./weighted-average.js";

describe("weightedAverage", () => {
  it("is sum D_i w_i / D", () => {
    const w = weightedAverage(
      [
        { weights: Float64Array.of(1, 2), dataSize: 1 },
        { weights: Float64Array.of(5, -2), dataSize: 3 },
      ],
      2,
    );
    expect(Array.from(w)).toEqual([4, -1]);
  });

  it("renormalises over the updates given", () => {
    const w = weightedAverage([{ weights: Float64Array.of(5, -2), dataSize: 3 }], 2);
    expect(Array.from(w)).toEqual([5, -2]);
  });

  it("refuses updates of the wrong length and an empty round", () => {
    expect(() => weightedAverage([{ weights: Float64Array.of(1), dataSize: 1 }], 2)).toThrow(
      "Cannot average weights: expected 2 weights, got 1",
    );
    expect(() => weightedAverage([], 2)).toThrow("no updates");
  });

  it("lets overflow show as non-finite", () => {
    const big = { weights: Float64Array.of(1e308), dataSize: 2 };
    expect(allFinite(weightedAverage([big, big], 1))).toBe(false);
    expect(allFinite(Float64Array.of(0, -1e308))).toBe(true);
    expect(allFinite(Float64Array.of(0, Number.NaN))).toBe(false);
  });
});

describe("WeightedSum (streaming, order-independent)", () => {
  const rng = new Rng(11);
  const updates = Array.from({ length: 40 }, (_, i) => ({
    // Magnitudes from 1e-6 to 1e6 and both signs: a plain running sum depends on the order.
    weights: Float64Array.from({ length: 64 }, () => rng.normal() * 10 ** (rng.int(13) - 6)),
    dataSize: 1 + rng.int(500) + i,
  }));

  it("gives the same bits in any order of the updates", () => {
    const bits = (w: Float64Array) => Array.from(new BigUint64Array(w.buffer));
    const first = bits(weightedAverage(updates, 64));
    let plainDiffers = false;
    const plain = (us: typeof updates) => {
      const w = new Float64Array(64);
      let total = 0;
      for (const u of us) {
        for (let k = 0; k < 64; k++) w[k] += u.dataSize * u.weights[k];
        total += u.dataSize;
      }
      return bits(w.map((v) => v / total));
    };
    const plainFirst = plain(updates);
    for (let t = 0; t < 20; t++) {
      const order = Array.from(rng.permutation(updates.length), (i) => updates[i]);
      expect(bits(weightedAverage(order, 64))).toEqual(first);
      plainDiffers ||= plain(order).some((b, k) => b !== plainFirst[k]);
    }
    // The point of it: the plain running sum does change with the order.
    expect(plainDiffers).toBe(true);
  });

  it("is the correctly rounded sum: exact where a running sum loses the small terms", () => {
    const sum = new WeightedSum(1);
    for (const v of [1e16, 1, 1, 1, 1, -1e16]) sum.add(Float64Array.of(v), 1);
    expect(sum.count).toBe(6);
    expect(sum.dataTotal).toBe(6);
    expect(sum.average()[0]).toBe(4 / 6);
    // Half-way cases round to even, from the partials below.
    const half = new WeightedSum(1);
    for (const v of [1, 2 ** -53, 2 ** -80]) half.add(Float64Array.of(v), 1);
    expect(half.average()[0] * 3).toBe(1 + 2 ** -52);
  });

  it("equals the exact sum of the terms rounded once (checked in BigInt arithmetic)", () => {
    // Terms D_i w_i with exponents in [-200, 200]: exact as integers times 2^-253.
    const exact = (x: number): bigint => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, x);
      const bits = view.getBigUint64(0);
      const exp = Number((bits >> 52n) & 0x7ffn);
      const mant = (bits & 0xfffffffffffffn) | (exp === 0 ? 0n : 1n << 52n);
      const v = mant << BigInt(exp - 1075 + 253);
      return bits >> 63n === 1n ? -v : v;
    };
    const size = 200;
    for (const spread of [0, 4, 30, 180]) {
      const sum = new WeightedSum(size);
      const big = new Array<bigint>(size).fill(0n);
      let total = 0;
      for (let u = 0; u < 300; u++) {
        const d = 1 + rng.int(1000);
        const w = Float64Array.from(
          { length: size },
          () => rng.normal() * 2 ** (rng.int(2 * spread + 1) - spread),
        );
        sum.add(w, d);
        for (let k = 0; k < size; k++) big[k] += exact(d * w[k]);
        total += d;
      }
      const want = big.map((b) => (Number(b) * 2 ** -253) / total);
      expect(Array.from(sum.average())).toEqual(want);
      // Values over 2^-30..2^30 still fit in 4 doubles; over 2^-180..2^180 the sum may need more.
      if (spread <= 30) expect(sum.partialsPerWeight).toBe(4);
    }
  });

  it("holds 4 doubles per weight whatever the number of updates; more only for values of every magnitude", () => {
    const sum = new WeightedSum(64);
    for (let r = 0; r < 20; r++) for (const u of updates) sum.add(u.weights, u.dataSize);
    expect(sum.count).toBe(800);
    expect(sum.partialsPerWeight).toBe(4);
    // 1, 2^-60, 2^-120, ...: an exact sum with bits over 1,700 binary orders of magnitude.
    const values = Array.from({ length: 30 }, (_, i) => 2 ** (i * 60 - 900));
    const wide = new WeightedSum(2);
    for (const v of values) wide.add(Float64Array.of(v, -v), 1);
    expect(wide.partialsPerWeight).toBeGreaterThan(4);
    const reversed = new WeightedSum(2);
    for (const v of [...values].reverse()) reversed.add(Float64Array.of(v, -v), 1);
    expect(Array.from(reversed.average())).toEqual(Array.from(wide.average()));
    expect(wide.average()[0]).toBe(values.reduce((a, b) => a + b, 0) / 30);
  });

  it("starts again after reset, and sums zeros to +0", () => {
    const sum = new WeightedSum(2);
    sum.add(Float64Array.of(3, -0), 2);
    sum.reset();
    expect(() => sum.average()).toThrow("no updates");
    sum.add(Float64Array.of(-0, 1), 4);
    const w = sum.average();
    expect(Object.is(w[0], 0)).toBe(true);
    expect(w[1]).toBe(1);
  });
});
