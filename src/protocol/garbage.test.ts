import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import { ERROR_CODES } from "./error-codes.js";
import { type DecodedFrame, decodeFrame, encodeFrame } from "./frame-codec.js";
import { allSamples } from "./test-support/sample-messages.js";

const ctx = { from: "n3", modelSize: 16, runId: "run-1", expectedRound: 3 };

function decodeSafely(bytes: Uint8Array): DecodedFrame {
  let result: DecodedFrame | undefined;
  expect(() => {
    result = decodeFrame(bytes, ctx);
  }).not.toThrow();
  return result!;
}

/** A refusal with one of the protocol's codes, never the decoder's own failure. */
function expectRefusedCleanly(result: DecodedFrame): void {
  if (result.ok) return; // some mutations still make a valid message
  expect(ERROR_CODES).toContain(result.error.code);
  expect(result.error.code).not.toBe("internal");
  expect(result.error.message).toMatch(/^Cannot accept /);
}

describe("garbage in", () => {
  it("gives bad-frame for bytes that are not protobuf, never a throw", () => {
    const garbage = [
      Uint8Array.of(0xff),
      Uint8Array.of(0x0f), // wire type 7 (invalid)
      Uint8Array.of(0x08), // varint field with no varint
      Uint8Array.of(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      Uint8Array.of(0x12, 0x05, 0x61), // string of 5 bytes, 1 present
      Uint8Array.of(0x00, 0x00),
      new TextEncoder().encode('{"type":"register","nodeName":"n3"}'),
      new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"),
    ];
    for (const bytes of garbage) {
      const result = decodeSafely(bytes);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code, String([...bytes])).toBe("bad-frame");
    }
  });

  it("never throws on 3,000 seeded random byte strings", () => {
    const rng = new Rng(2024);
    for (let k = 0; k < 3000; k++) {
      const bytes = new Uint8Array(rng.int(200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
      const result = decodeSafely(bytes);
      expect(result.ok).toBe(false);
      expectRefusedCleanly(result);
    }
  });

  it("never throws on every truncation of every message type", () => {
    for (const message of allSamples(16)) {
      const frame = encodeFrame(message, { seq: 1 });
      for (let n = 0; n < frame.byteLength; n++) {
        expectRefusedCleanly(decodeSafely(frame.subarray(0, n)));
      }
    }
  });

  it("never throws on 5,000 seeded byte flips of valid frames", () => {
    const rng = new Rng(77);
    const frames = allSamples(16).map((m) => encodeFrame(m, { seq: 1 }));
    for (let k = 0; k < 5000; k++) {
      const frame = frames[rng.int(frames.length)].slice();
      const flips = 1 + rng.int(4);
      for (let f = 0; f < flips; f++) frame[rng.int(frame.length)] = rng.int(256);
      expectRefusedCleanly(decodeSafely(frame));
    }
  });
});
