import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import {
  accepted,
  type Checked,
  ERROR_CODES,
  errorCodeFromWire,
  errorCodeToWire,
} from "./error-codes.js";
import {
  ErrorSchema,
  type Heartbeat,
  HeartbeatSchema,
  type Error as WireError,
} from "./gen/fedtau_pb.js";
import { MAX_DETAIL_CHARS, MAX_TEXT_CHARS } from "./limits.js";
import type { ErrorMessage, HeartbeatMessage, RunId } from "./messages.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { finite, knownEnum, requiredText, text } from "./schema-rules.js";

/** The messages either side may send at any time: Heartbeat and Error. */

const heartbeatRules = z.object({ sentAtMs: finite() });

const knownCodes = new Map<number, unknown>(ERROR_CODES.map((c) => [errorCodeToWire(c), c]));

const errorRules = z.object({
  code: knownEnum(knownCodes),
  message: requiredText(MAX_TEXT_CHARS),
  detail: z.optional(text(MAX_DETAIL_CHARS)),
});

export function heartbeatToWire(message: HeartbeatMessage): Heartbeat {
  return create(HeartbeatSchema, { sentAtMs: message.sentAtMs });
}

export function heartbeatFromWire(
  wire: Heartbeat,
  runId: RunId | undefined,
  ctx: ReadContext,
): Checked<HeartbeatMessage> {
  const rules = checkWith(heartbeatRules, wire, ctx);
  if (!rules.ok) return rules;
  return accepted({
    type: "heartbeat",
    ...(runId === undefined ? {} : { runId }),
    sentAtMs: wire.sentAtMs,
  });
}

export function errorToWire(message: ErrorMessage): WireError {
  return create(ErrorSchema, {
    code: errorCodeToWire(message.code),
    message: message.message,
    detail: message.detail,
    refSeq: message.refSeq,
  });
}

export function errorFromWire(
  wire: WireError,
  runId: RunId | undefined,
  ctx: ReadContext,
): Checked<ErrorMessage> {
  const rules = checkWith(errorRules, wire, ctx);
  if (!rules.ok) return rules;
  return accepted({
    type: "error",
    ...(runId === undefined ? {} : { runId }),
    code: errorCodeFromWire(wire.code)!,
    message: wire.message,
    ...(wire.detail === undefined ? {} : { detail: wire.detail }),
    ...(wire.refSeq === undefined ? {} : { refSeq: wire.refSeq }),
  });
}
