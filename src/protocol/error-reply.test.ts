import { describe, expect, it } from "vitest";
import { errorReply } from "./error-reply.js";
import { decodeFrame, encodeFrame } from "./frame-codec.js";

describe("errorReply", () => {
  it("is a valid Error whatever the refused frame held: no run id over its limit, texts cut", () => {
    const reply = errorReply(
      { code: "too-large", message: "m".repeat(5000), detail: "d".repeat(9000) },
      { seq: 3, runId: "r".repeat(200) },
    );
    expect(reply.runId).toBeUndefined();
    expect(reply.message).toHaveLength(1024);
    expect(reply.detail).toHaveLength(4096);
    const decoded = decodeFrame(encodeFrame(reply, { seq: 1 }));
    expect(decoded.ok && decoded.message.type === "error" && decoded.message.refSeq).toBe(3);
    expect(errorReply({ code: "bad-frame", message: "x" }, { runId: "run-1" }).runId).toBe("run-1");
  });
});
