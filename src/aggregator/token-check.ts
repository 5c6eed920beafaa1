import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether a node's token is the expected one, in constant time: both are hashed to 32 bytes
 * first, so neither the content nor the length of the expected token leaks through timing.
 * An aggregator without a token (expected undefined or "") accepts every node.
 */
export function tokenMatches(expected: string | undefined, given: string): boolean {
  if (expected === undefined || expected === "") return true;
  return timingSafeEqual(digest(expected), digest(given));
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
