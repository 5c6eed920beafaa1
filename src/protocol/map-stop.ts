import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import { accepted, type Checked } from "./error-codes.js";
import { type Stop, StopReason, StopSchema } from "./gen/fedtau_pb.js";
import { MAX_TEXT_CHARS } from "./limits.js";
import type { RunId, StopMessage, StopReasonName } from "./messages.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { knownEnum, text } from "./schema-rules.js";
import type { VectorEncodingName } from "./vector-codec.js";
import { vectorFromWire, vectorToWire } from "./vector-field.js";

const reasons = new Map<number, StopReasonName>([
  [StopReason.BUDGET_SPENT, "budget-spent"],
  [StopReason.ROUND_LIMIT, "round-limit"],
  [StopReason.OPERATOR, "operator"],
  [StopReason.SHUTDOWN, "shutdown"],
  [StopReason.NODE_REMOVED, "node-removed"],
  [StopReason.ERROR, "error"],
]);

const reasonValues = new Map<StopReasonName, StopReason>(
  [...reasons].map(([wire, name]) => [name, wire as StopReason]),
);

const stopRules = z.object({
  reason: knownEnum(reasons),
  message: text(MAX_TEXT_CHARS),
});

export function stopToWire(message: StopMessage, encoding: VectorEncodingName): Stop {
  return create(StopSchema, {
    reason: reasonValues.get(message.reason),
    finalWeights:
      message.finalWeights === undefined ? undefined : vectorToWire(message.finalWeights, encoding),
    message: message.message,
  });
}

/** A wire Stop, checked: final weights (when present) finite and of the model's size. */
export function stopFromWire(wire: Stop, runId: RunId, ctx: ReadContext): Checked<StopMessage> {
  const rules = checkWith(stopRules, wire, ctx);
  if (!rules.ok) return rules;
  let finalWeights: Float64Array | undefined;
  if (wire.finalWeights !== undefined) {
    const w = vectorFromWire(
      wire.finalWeights,
      { field: "finalWeights", noun: "weights", length: ctx.modelSize, finite: true },
      ctx,
    );
    if (!w.ok) return w;
    finalWeights = w.value;
  }
  return accepted({
    type: "stop",
    runId,
    reason: reasons.get(wire.reason)!,
    ...(finalWeights === undefined ? {} : { finalWeights }),
    message: wire.message,
  });
}
