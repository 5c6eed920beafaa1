import type { ProtocolError } from "./error-codes.js";
import type { ErrorMessage, RunId } from "./messages.js";

/** The Error message that tells the peer about `error`, pointing at the frame it answers. */
export function errorReply(
  error: ProtocolError,
  answering: { readonly seq?: number; readonly runId?: RunId } = {},
): ErrorMessage {
  return {
    type: "error",
    ...(answering.runId === undefined ? {} : { runId: answering.runId }),
    code: error.code,
    message: error.message,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    ...(answering.seq === undefined ? {} : { refSeq: answering.seq }),
  };
}
