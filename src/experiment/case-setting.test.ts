import { describe, expect, it } from "vitest";
import { caseLabel, parseCases } from "./case-setting.js";

describe("cases", () => {
  it("reads numbers and names", () => {
    expect(parseCases("1,2,3,4")).toEqual([1, 2, 3, 4]);
    expect(parseCases(" 4, uniform ,Replicated")).toEqual([4, 1, 3]);
  });

  it("labels a case, and the replicated one with its minibatch streams", () => {
    expect(caseLabel(2, "shared")).toBe("2 (non-uniform)");
    expect(caseLabel(3, null)).toBe("3 (replicated)");
    expect(caseLabel(3, "shared")).toBe("3 (replicated, shared minibatches)");
    expect(caseLabel(3, "independent")).toBe("3 (replicated, independent minibatches)");
  });

  it.each([
    ["5", /Unknown case "5"/],
    ["0", /Unknown case "0"/],
    ["1,x", /Unknown case "x"/],
    ["", /No cases/],
    ["2,non-uniform", /Case 2 is listed twice/],
  ])("rejects %j", (text, message) => {
    expect(() => parseCases(text)).toThrow(message);
  });
});
