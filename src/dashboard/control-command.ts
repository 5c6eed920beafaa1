import * as z from "zod/mini";
import { DEFAULT_TAU_MAX } from "../core/control/tau-max.js";

/**
 * The commands of the dashboard's controls: the body of POST /api/control. One schema, used by
 * the server to validate and by the page to check its form before sending (zod/mini: small in
 * the browser bundle).
 */

/** Longest added delay, ms. */
export const MAX_DELAY_MS = 60_000;
/** Largest time budget, seconds (a day). */
export const MAX_BUDGET_SECONDS = 86_400;

/** A strict object: a field it does not know is an error that names the field. */
function command<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}`
        : undefined,
  });
}

const caseNumber = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
  error: "case must be 1, 2, 3 or 4",
});

export const controlCommandSchema = z.discriminatedUnion(
  "type",
  [
    command({ type: z.literal("start") }),
    command({ type: z.literal("stop") }),
    command({ type: z.literal("set-case"), case: caseNumber }),
    command({
      type: z.literal("set-delay"),
      ms: z
        .int({ error: "ms must be a whole number of milliseconds" })
        .check(
          z.gte(0, "ms must be 0 or more"),
          z.lte(MAX_DELAY_MS, `ms must be at most ${MAX_DELAY_MS}`),
        ),
      /** One node's id; absent for every node. */
      node: z.optional(
        z
          .string({ error: "node must be a node id" })
          .check(z.minLength(1, "node must not be empty"), z.maxLength(200, "node is too long")),
      ),
    }),
    command({
      type: z.literal("set-budget"),
      seconds: z
        .number({ error: "seconds must be a number" })
        .check(
          z.gt(0, "seconds must be more than 0"),
          z.lte(MAX_BUDGET_SECONDS, `seconds must be at most ${MAX_BUDGET_SECONDS}`),
        ),
    }),
    command({
      type: z.literal("set-tau"),
      tau: z.union(
        [
          z.literal("adaptive"),
          z.int().check(
            z.gte(1, "a fixed tau must be 1 or more"),
            // A fixed tau as large as the adaptive search may choose, no larger.
            z.lte(DEFAULT_TAU_MAX, `a fixed tau must be at most ${DEFAULT_TAU_MAX}`),
          ),
        ],
        { error: `tau must be "adaptive" or a whole number 1..${DEFAULT_TAU_MAX}` },
      ),
    }),
  ],
  {
    error: 'type must be one of "start", "stop", "set-case", "set-delay", "set-budget", "set-tau"',
  },
);

export type ControlCommand = z.infer<typeof controlCommandSchema>;

export type ParsedCommand =
  | { readonly ok: true; readonly command: ControlCommand }
  | { readonly ok: false; readonly message: string };

/** The command in `body`, or every problem with it as one readable message. */
export function parseControlCommand(body: unknown): ParsedCommand {
  const result = controlCommandSchema.safeParse(body);
  if (result.success) return { ok: true, command: result.data };
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return `${where}${issue.message}`;
  });
  return { ok: false, message: problems.join("; ") };
}
