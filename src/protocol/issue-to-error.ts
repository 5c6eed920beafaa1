import type * as z from "zod/mini";
import { cannotAccept, type ErrorCode, type ProtocolError, protocolError } from "./error-codes.js";

/** Where a refusal happens: which message, from whom, under which field path. */
export interface Refusing {
  /** The message as named in sentences: "round result", "setup"... */
  readonly what: string;
  /** The peer, when known: a node's name, or "aggregator". */
  readonly from?: string;
}

/** The field path of an issue: "data.partition.alpha", "hidden[2]". */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  return String(v);
}

function sizeOf(v: unknown): number {
  return typeof v === "string" || Array.isArray(v) ? v.length : Number.NaN;
}

/** Code and reason sentence (after the field name) of one zod issue. */
function classify(issue: z.core.$ZodIssue, field: string): [ErrorCode, string] {
  const input = issue.input;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined || input === null) return ["missing-field", `${field} is missing`];
      if (typeof input === "number") {
        return ["not-finite", `${field} must be a finite number, got ${show(input)}`];
      }
      return ["bad-frame", `${field} must be a ${issue.expected}, got ${typeof input}`];
    case "too_small":
      if (issue.origin === "number") {
        const bound = issue.inclusive ? "at least" : "greater than";
        return ["out-of-range", `${field} must be ${bound} ${issue.minimum}, got ${show(input)}`];
      }
      return ["missing-field", `${field} is empty`];
    case "too_big":
      if (issue.origin === "number") {
        const bound = issue.inclusive ? "at most" : "less than";
        return ["out-of-range", `${field} must be ${bound} ${issue.maximum}, got ${show(input)}`];
      }
      return [
        "too-large",
        `${field} has ${sizeOf(input)} ${issue.origin === "string" ? "characters" : "entries"}, more than ${issue.maximum}`,
      ];
    case "invalid_value":
      return ["unknown-enum", `${field} has unknown value ${show(input)}`];
    case "custom": {
      const code = (issue.params?.code as ErrorCode | undefined) ?? "out-of-range";
      return [code, `${field} ${issue.message}`];
    }
    default:
      return ["out-of-range", `${field} is not valid (${issue.code})`];
  }
}

/** The refusal for the first issue of a failed parse. */
export function issueToError(
  issues: readonly z.core.$ZodIssue[],
  at: Refusing,
  prefix = "",
): ProtocolError {
  const issue = issues[0];
  const field = fieldPath(prefix, issue.path);
  const [code, reason] = classify(issue, field === "" ? "message" : field);
  return protocolError(code, cannotAccept(at.what, at.from, reason), { field });
}
