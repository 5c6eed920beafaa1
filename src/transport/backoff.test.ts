import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import { Backoff } from "./backoff.js";

const take = (b: Backoff, n: number): number[] => Array.from({ length: n }, () => b.next());

describe("Backoff", () => {
  it("doubles from the first wait up to the cap, exactly, without an rng", () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 });
    expect(take(b, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempts).toBe(6);
  });

  it("starts again after a reset", () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 3 });
    expect(take(b, 3)).toEqual([100, 300, 900]);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(take(b, 2)).toEqual([100, 300]);
  });

  it("jitters within [(1 - jitter) x, x], the same for the same seed", () => {
    const a = take(new Backoff({ initialMs: 100, maxMs: 800, jitter: 0.5, rng: new Rng(3) }), 6);
    const again = take(
      new Backoff({ initialMs: 100, maxMs: 800, jitter: 0.5, rng: new Rng(3) }),
      6,
    );
    const other = take(
      new Backoff({ initialMs: 100, maxMs: 800, jitter: 0.5, rng: new Rng(4) }),
      6,
    );
    expect(a).toEqual(again);
    expect(a).not.toEqual(other);
    const schedule = [100, 200, 400, 800, 800, 800];
    a.forEach((w, i) => {
      expect(w).toBeGreaterThan(schedule[i] * 0.5);
      expect(w).toBeLessThanOrEqual(schedule[i]);
    });
  });

  it("never overflows with many attempts", () => {
    const b = new Backoff({ initialMs: 1, maxMs: 5000 });
    const waits = take(b, 5000);
    expect(waits.at(-1)).toBe(5000);
  });

  it("refuses bad options with a sentence", () => {
    expect(() => new Backoff({ initialMs: -1 })).toThrow(
      "Back-off initialMs must be a finite number >= 0, got -1",
    );
    expect(() => new Backoff({ initialMs: 100, maxMs: 50 })).toThrow(
      "Back-off maxMs must be a finite number >= initialMs (100), got 50",
    );
    expect(() => new Backoff({ factor: 0.5 })).toThrow("factor must be a finite number >= 1");
    expect(() => new Backoff({ jitter: 2 })).toThrow("jitter must be in 0..1, got 2");
  });
});
