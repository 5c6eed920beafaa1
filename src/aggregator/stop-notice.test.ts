import { describe, expect, it } from "vitest";
import { stopNoticeOf } from "./stop-notice.js";

describe("stopNoticeOf", () => {
  it("says what the engine says ended the run, in the protocol's words", () => {
    expect(stopNoticeOf({ reason: "round-limit", fullRounds: 6 }, "operator")).toEqual({
      reason: "round-limit",
      message: "round limit of 6 reached",
    });
    expect(stopNoticeOf({ reason: "budget-spent", fullRounds: 41 }, "shutdown")).toEqual({
      reason: "budget-spent",
      message: "budget spent after 41 rounds",
    });
    const error = { code: "no-reports", message: "x" } as const;
    expect(stopNoticeOf({ reason: "failed", error }, "operator")).toEqual({
      reason: "error",
      message: "the run failed",
    });
  });

  it("names who cancelled a run", () => {
    expect(stopNoticeOf({ reason: "cancelled" }, "operator").reason).toBe("operator");
    expect(stopNoticeOf({ reason: "cancelled" }, "shutdown")).toEqual({
      reason: "shutdown",
      message: "the aggregator is shutting down",
    });
  });
});
