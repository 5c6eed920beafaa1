import * as z from "zod/mini";
import type { ErrorCode } from "./error-codes.js";
import { MAX_NODE_NAME_CHARS, NODE_NAME_PATTERN } from "./limits.js";

/**
 * The building blocks of the message schemas (zod/mini: small enough for the dashboard's
 * bundle). Each rule either fails with a standard zod issue that issue-to-error.ts turns into a
 * code and a sentence, or with a custom issue that names its code in `params.code`.
 */

/**
 * A rule of its own: `code` and the reason sentence (after "<field> ") when `ok` is false.
 * `path` names the field at fault when the rule is about a whole object.
 */
export function rule<T>(
  ok: (value: T) => boolean,
  code: ErrorCode,
  reason: (value: T) => string,
  path?: readonly string[],
): z.core.$ZodCheck<T> {
  return z.refine<T>(ok, {
    params: { code },
    error: (issue) => reason(issue.input as T),
    ...(path === undefined ? {} : { path: [...path] }),
  });
}

/** A finite number (NaN and infinities: not-finite). */
export function finite(): z.ZodMiniNumber<number> {
  return z.number();
}

/** A finite number >= min (out-of-range below). */
export function atLeast(min: number): z.ZodMiniNumber<number> {
  return z.number().check(z.gte(min));
}

/** A finite number > min. */
export function above(min: number): z.ZodMiniNumber<number> {
  return z.number().check(z.gt(min));
}

/** A number between min and max inclusive. */
export function between(min: number, max: number): z.ZodMiniNumber<number> {
  return z.number().check(z.gte(min), z.lte(max));
}

/** A value of a wire enum that this version knows (unknown-enum otherwise). */
export function knownEnum(known: ReadonlyMap<number, unknown>): z.ZodMiniNumber<number> {
  return z.number().check(
    rule<number>(
      (v) => known.has(v),
      "unknown-enum",
      (v) => `has unknown value ${v}`,
    ),
  );
}

/** A string of at most `max` characters (too-large beyond), possibly empty. */
export function text(max: number): z.ZodMiniString<string> {
  return z.string().check(z.maxLength(max));
}

/** A non-empty string (missing-field when empty) of at most `max` characters. */
export function requiredText(max: number): z.ZodMiniString<string> {
  return z.string().check(z.minLength(1), z.maxLength(max));
}

/** A node name: 1 to 64 characters from [A-Za-z0-9._-] (bad-name otherwise). */
export function nodeName(): z.ZodMiniString<string> {
  return z.string().check(
    rule<string>(
      (s) => NODE_NAME_PATTERN.test(s),
      "bad-name",
      (s) =>
        `must be 1 to ${MAX_NODE_NAME_CHARS} characters from A-Z a-z 0-9 . _ -, got ${JSON.stringify(truncate(s, 80))}`,
    ),
  );
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}...`;
}
