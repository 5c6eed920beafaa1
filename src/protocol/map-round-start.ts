import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import type { RoundOrder } from "../core/train/round-report.js";
import { accepted, type Checked } from "./error-codes.js";
import { type RoundStart, RoundStartSchema } from "./gen/fedtau_pb.js";
import { MAX_ROUND_TAU } from "./limits.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { atLeast, between } from "./schema-rules.js";
import type { VectorEncodingName } from "./vector-codec.js";
import { vectorFromWire, vectorToWire } from "./vector-field.js";

/** What protobuf cannot say about a RoundStart (vectors are checked by vector-field.ts). */
const roundStartRules = z.object({
  round: atLeast(1),
  tau: between(1, MAX_ROUND_TAU),
});

/** A core RoundOrder as a wire RoundStart. `deadlineMs` undefined or 0: no deadline. */
export function roundOrderToWire(
  order: RoundOrder,
  encoding: VectorEncodingName,
  deadlineMs?: number,
): RoundStart {
  return create(RoundStartSchema, {
    round: order.round,
    weights: vectorToWire(order.weights, encoding),
    tau: order.tau,
    lastRound: order.lastRound,
    prevGlobalWasBest: order.prevGlobalWasBest,
    deadlineMs: deadlineMs ?? 0,
  });
}

/** A wire RoundStart as a core RoundOrder and its deadline, checked. */
export function roundOrderFromWire(
  wire: RoundStart,
  ctx: ReadContext,
): Checked<{ readonly order: RoundOrder; readonly deadlineMs?: number }> {
  const rules = checkWith(roundStartRules, wire, ctx);
  if (!rules.ok) return rules;
  const weights = vectorFromWire(
    wire.weights,
    { field: "weights", noun: "weights", length: ctx.modelSize, finite: true },
    ctx,
  );
  if (!weights.ok) return weights;
  const order: RoundOrder = {
    round: wire.round,
    weights: weights.value,
    tau: wire.tau,
    lastRound: wire.lastRound,
    prevGlobalWasBest: wire.prevGlobalWasBest,
  };
  return accepted(wire.deadlineMs === 0 ? { order } : { order, deadlineMs: wire.deadlineMs });
}
