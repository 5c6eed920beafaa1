import { describe, expect, it } from "vitest";
import { DelayTable, parseDelaySetting } from "./delay-table.js";

describe("DelayTable", () => {
  it("gives every node the common delay unless it has its own", () => {
    const t = new DelayTable([
      { target: "all", ms: 100 },
      { target: "n3", ms: 500 },
    ]);
    expect(t.of("n1")).toBe(100);
    expect(t.of("n3")).toBe(500);
    t.set("n1", 0);
    expect(t.of("n1")).toBe(0);
    expect(t.snapshot()).toEqual({ all: 100, nodes: { n1: 0, n3: 500 } });
  });

  it("clears the per-node delays when all nodes are set", () => {
    const t = new DelayTable([{ target: "n3", ms: 500 }]);
    t.set("all", 20);
    expect(t.of("n3")).toBe(20);
    expect(t.snapshot()).toEqual({ all: 20, nodes: {} });
  });

  it("refuses delays outside 0..60000 ms", () => {
    const t = new DelayTable();
    expect(() => t.set("all", -1)).toThrow("An added delay must be 0 to 60000 ms, got -1");
    expect(() => t.set("n1", Number.NaN)).toThrow(RangeError);
  });
});

describe("parseDelaySetting", () => {
  it("reads MS and NODE=MS", () => {
    expect(parseDelaySetting("100")).toEqual({ target: "all", ms: 100 });
    expect(parseDelaySetting("pi-kitchen=12.5")).toEqual({ target: "pi-kitchen", ms: 12.5 });
  });

  it("refuses anything else with a readable error", () => {
    expect(() => parseDelaySetting("n1=")).toThrow(
      'Bad delay "n1=": the milliseconds must be a number from 0 to 60000',
    );
    expect(() => parseDelaySetting("=5")).toThrow('Bad delay "=5": expected MS or NODE=MS');
    expect(() => parseDelaySetting("fast")).toThrow("Bad delay");
  });
});
