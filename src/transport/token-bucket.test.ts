import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.js";

describe("TokenBucket", () => {
  it("allows a burst of one second's worth, then the rate", () => {
    let t = 0;
    const bucket = new TokenBucket(5, { now: () => t });
    const taken = Array.from({ length: 7 }, () => bucket.take());
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    t += 200; // one token back
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    t += 10_000; // never more than the burst
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });

  it("takes a burst of its own, at least 1", () => {
    let t = 0;
    const bucket = new TokenBucket(0.5, { burst: 0, now: () => t });
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    t += 2000;
    expect(bucket.take()).toBe(true);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN)).toThrow(RangeError);
  });
});
