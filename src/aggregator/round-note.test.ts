import { describe, expect, it } from "vitest";
import { tauChangeLine } from "./round-note.js";
import { roundEventFixture } from "./test-support/round-event-fixture.js";

describe("tauChangeLine", () => {
  it("says why tau changes, with the round, only when it changes", () => {
    expect(tauChangeLine(roundEventFixture({ round: 7, tau: 10, next: 31 }))).toBe(
      "round 7: tau 10 -> 31: b (time) 0.01 -> 0.1",
    );
    expect(tauChangeLine(roundEventFixture({ round: 8, tau: 31, next: 31 }))).toBeNull();
    expect(tauChangeLine(roundEventFixture({ round: 9, tau: 31, next: null }))).toBeNull();
  });
});
