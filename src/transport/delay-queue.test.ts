import { describe, expect, it } from "vitest";
import { DelayQueue } from "./delay-queue.js";
import { FakeTimers } from "./test-support/fake-timers.js";

function queue(delayMs: number) {
  const timers = new FakeTimers();
  const out: { item: string; at: number }[] = [];
  const q = new DelayQueue<string>((item) => out.push({ item, at: timers.now() }), delayMs, timers);
  return { q, out, timers };
}

describe("DelayQueue", () => {
  it("hands items on at once, synchronously, without a delay", () => {
    const { q, out, timers } = queue(0);
    q.push("a");
    q.push("b");
    expect(out).toEqual([
      { item: "a", at: 0 },
      { item: "b", at: 0 },
    ]);
    expect(timers.timers).toBe(0);
  });

  it("holds every item for the delay", () => {
    const { q, out, timers } = queue(100);
    q.push("a");
    timers.advance(30);
    q.push("b");
    timers.advance(69);
    expect(out).toEqual([]);
    timers.advance(1);
    expect(out).toEqual([{ item: "a", at: 100 }]);
    timers.advance(30);
    expect(out.map((o) => [o.item, o.at])).toEqual([
      ["a", 100],
      ["b", 130],
    ]);
  });

  it("keeps the order when the delay drops while items wait", () => {
    const { q, out, timers } = queue(1000);
    q.push("a");
    timers.advance(10);
    q.delayMs = 0; // a was pushed at 0: due now
    q.push("b");
    expect(out.map((o) => o.item)).toEqual(["a", "b"]);
    expect(out.map((o) => o.at)).toEqual([10, 10]);
  });

  it("never hands an item on before the one ahead of it, whatever the delay does", () => {
    const { q, out, timers } = queue(500);
    q.push("a"); // due 500
    timers.advance(100);
    q.delayMs = 50; // a due at 50: now
    expect(out.map((o) => o.item)).toEqual(["a"]);
    q.delayMs = 400;
    q.push("b"); // at 100, due 500
    timers.advance(100);
    q.delayMs = 10; // b due at 110: now (200)
    q.push("c"); // at 200, due 210
    q.delayMs = 300; // c due 500
    timers.advance(299);
    expect(out.map((o) => [o.item, o.at])).toEqual([
      ["a", 100],
      ["b", 200],
    ]);
    timers.advance(1);
    expect(out.map((o) => [o.item, o.at])).toEqual([
      ["a", 100],
      ["b", 200],
      ["c", 500],
    ]);
  });

  it("applies a longer delay to items already waiting", () => {
    const { q, out, timers } = queue(50);
    q.push("a");
    q.delayMs = 200;
    timers.advance(199);
    expect(out).toEqual([]);
    timers.advance(1);
    expect(out).toEqual([{ item: "a", at: 200 }]);
  });

  it("queues behind waiting items even when the delay is 0", () => {
    const { q, out, timers } = queue(100);
    q.push("a");
    // A zero delay with an item waiting must not overtake it.
    q.delayMs = 0;
    q.delayMs = 100;
    expect(out.map((o) => o.item)).toEqual(["a"]);
    q.push("b");
    q.delayMs = 0;
    expect(out.map((o) => o.item)).toEqual(["a", "b"]);
    expect(timers.timers).toBe(0);
  });

  it("flushes and clears in order", () => {
    const { q, out, timers } = queue(100);
    q.push("a");
    q.push("b");
    q.flush();
    expect(out.map((o) => o.item)).toEqual(["a", "b"]);
    q.push("c");
    q.push("d");
    expect(q.size).toBe(2);
    expect(q.clear()).toEqual(["c", "d"]);
    timers.advance(1000);
    expect(out.map((o) => o.item)).toEqual(["a", "b"]);
    expect(timers.timers).toBe(0);
  });

  it("refuses a negative or non-finite delay", () => {
    const { q } = queue(0);
    expect(() => {
      q.delayMs = -1;
    }).toThrow("A delay must be a finite number of milliseconds >= 0, got -1");
    expect(() => new DelayQueue(() => {}, Number.NaN)).toThrow("got NaN");
  });
});
