import { describe, expect, it } from "vitest";
import { tokenMatches } from "./token-check.js";

describe("tokenMatches", () => {
  it("accepts the expected token only", () => {
    expect(tokenMatches("s3cret", "s3cret")).toBe(true);
    expect(tokenMatches("s3cret", "s3cre")).toBe(false);
    expect(tokenMatches("s3cret", "")).toBe(false);
    expect(tokenMatches("s3cret", "S3CRET")).toBe(false);
  });

  it("accepts every node when no token is set", () => {
    expect(tokenMatches(undefined, "anything")).toBe(true);
    expect(tokenMatches("", "")).toBe(true);
  });
});
