import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorCodeFromWire, errorCodeToWire } from "./error-codes.js";
import { errorReply } from "./error-reply.js";
import { decodeFrame, encodeFrame } from "./frame-codec.js";
import { ErrorCode as WireErrorCode } from "./gen/fedtau_pb.js";
import {
  checkRound,
  internal,
  nameTaken,
  timedOut,
  unauthorized,
  unexpected,
  unknownNode,
} from "./refusals.js";

describe("error codes", () => {
  it("match the wire enum one to one, by name", () => {
    const wireNames = Object.entries(WireErrorCode).filter(
      ([name, value]) => typeof value === "number" && name !== "UNSPECIFIED",
    );
    expect(wireNames.length).toBe(ERROR_CODES.length);
    for (const [name, value] of wireNames) {
      const code = errorCodeFromWire(value as number);
      expect(code).toBe(name.toLowerCase().replaceAll("_", "-"));
      expect(errorCodeToWire(code!)).toBe(value);
    }
    expect(errorCodeFromWire(WireErrorCode.UNSPECIFIED)).toBeUndefined();
    expect(errorCodeFromWire(999)).toBeUndefined();
  });

  it("are all in the table of docs/protocol.md", () => {
    const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
    for (const code of ERROR_CODES) expect(doc, code).toContain(`| \`${code}\` |`);
  });

  it("word the refusals that need a session's state", () => {
    expect(unauthorized("n3")).toEqual({
      code: "unauthorized",
      message: 'Cannot accept register from "n3": wrong token',
      field: "token",
    });
    expect(nameTaken("n3").message).toBe(
      'Cannot accept register from "n3": another connected node is named "n3"',
    );
    expect(unknownNode("round result", "n9")).toEqual({
      code: "unknown-node",
      message: 'Cannot accept round result from "n9": the node is not registered',
    });
    expect(unexpected("round result", "n3", "before ready")).toEqual({
      code: "unexpected",
      message: 'Cannot accept round result from "n3": not expected before ready',
    });
    expect(timedOut("n3", 7, 5000)).toEqual({
      code: "timeout",
      message: 'No round result from "n3" for round 7 within 5000 ms',
    });
    expect(checkRound("round result", "n3", 3, 4)).toEqual({
      code: "out-of-order",
      message: 'Cannot accept round result from "n3": round 3, expected round 4',
      field: "round",
    });
    expect(checkRound("round result", "n3", 4, 4)).toBeUndefined();
    expect(internal('Cannot load data set "mnist"', "ENOENT")).toEqual({
      code: "internal",
      message: 'Cannot load data set "mnist"',
      detail: "ENOENT",
    });
  });

  it("travel back to the peer as an Error message answering the refused frame", () => {
    const refused = decodeFrame(Uint8Array.of(0xff), { from: "n3" });
    if (refused.ok) throw new Error("accepted garbage");
    const reply = errorReply(refused.error, { seq: 4, runId: "run-1" });
    const back = decodeFrame(encodeFrame(reply, { seq: 1 }), { from: "aggregator" });
    expect(back.ok && back.message).toEqual({
      type: "error",
      runId: "run-1",
      code: "bad-frame",
      message: 'Cannot accept frame from "n3": not a fedtau envelope',
      detail: refused.error.detail,
      refSeq: 4,
    });
  });
});
