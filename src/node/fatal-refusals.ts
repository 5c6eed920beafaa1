import type { ErrorCode } from "../protocol/index.js";

/**
 * Errors from the aggregator after which trying again cannot help: the node exits non-zero.
 * Others (name-taken while an old connection lingers, a refused frame) are retried.
 */
const FATAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "unauthorized",
  "wrong-version",
  "bad-name",
]);

export function isFatalRefusal(code: ErrorCode): boolean {
  return FATAL.has(code);
}
