import type * as z from "zod/mini";
import { accepted, type Checked, refused } from "./error-codes.js";
import { issueToError, type Refusing } from "./issue-to-error.js";

/** What a receiver knows when it reads one message body. */
export interface ReadContext extends Refusing {
  /** Number of weights of the current run (from Setup): every vector must have this length. */
  readonly modelSize?: number;
}

/** `value` checked against `schema`; the first issue becomes the refusal. */
export function checkWith<S extends z.core.SomeType>(
  schema: S,
  value: unknown,
  at: Refusing,
  prefix = "",
): Checked<z.output<S>> {
  const result = (schema as unknown as z.ZodMiniType).safeParse(value, { reportInput: true });
  if (result.success) return accepted(result.data as z.output<S>);
  return refused(issueToError(result.error.issues, at, prefix));
}
