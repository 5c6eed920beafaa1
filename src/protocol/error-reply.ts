import type { ProtocolError } from "./error-codes.js";
import { MAX_DETAIL_CHARS, MAX_RUN_ID_CHARS, MAX_TEXT_CHARS } from "./limits.js";
import type { ErrorMessage, RunId } from "./messages.js";

/**
 * The Error message that tells the peer about `error`, pointing at the frame it answers. Always
 * a valid Error, whatever the refused frame held: a run id over its limit (the reason it was
 * refused, maybe) is left out rather than echoed, and the texts are cut to their limits.
 */
export function errorReply(
  error: ProtocolError,
  answering: { readonly seq?: number; readonly runId?: RunId } = {},
): ErrorMessage {
  const runId = answering.runId;
  return {
    type: "error",
    ...(runId === undefined || runId.length > MAX_RUN_ID_CHARS ? {} : { runId }),
    code: error.code,
    message: error.message.slice(0, MAX_TEXT_CHARS),
    ...(error.detail === undefined ? {} : { detail: error.detail.slice(0, MAX_DETAIL_CHARS) }),
    ...(answering.seq === undefined ? {} : { refSeq: answering.seq }),
  };
}
