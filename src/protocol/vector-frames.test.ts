import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import { encodeFrame, encodeSharedFrame, sharedFrameBytes } from "./frame-codec.js";
import { EnvelopeSchema } from "./gen/fedtau_pb.js";
import { PROTOCOL_VERSION } from "./limits.js";
import { roundReportToWire } from "./map-round-result.js";
import { roundOrderToWire } from "./map-round-start.js";
import type { ProtocolMessage, RoundResultMessage, RoundStartMessage } from "./messages.js";
import { sampleMessages } from "./test-support/sample-messages.js";
import type { VectorEncodingName } from "./vector-codec.js";

/** The frame as protobuf-es writes it: what the hand-written encoder must equal, byte for byte. */
function protobufEsFrame(
  m: RoundStartMessage | RoundResultMessage,
  seq: number,
  encoding: VectorEncodingName,
): Uint8Array {
  const body =
    m.type === "round-start"
      ? { case: "roundStart" as const, value: roundOrderToWire(m.order, encoding, m.deadlineMs) }
      : { case: "roundResult" as const, value: roundReportToWire(m.report, encoding) };
  return toBinary(
    EnvelopeSchema,
    create(EnvelopeSchema, { protocolVersion: PROTOCOL_VERSION, runId: m.runId, seq, body }),
  );
}

/** Values that sit on every edge of the encoding: zeros of both signs, NaN, infinities. */
const DOUBLES = [0, -0, 1.5, -2.25, Number.NaN, Infinity, -Infinity, 5e-324, 1e300, 0.1];
/** uint32 values on every varint length boundary. */
const UINT32S = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 28, 2 ** 32 - 1];

function messages(count: number, seed: number): (RoundStartMessage | RoundResultMessage)[] {
  const rng = new Rng(seed);
  const pick = <T>(values: readonly T[]): T => values[rng.int(values.length)];
  const vector = (length: number): Float64Array | Float32Array => {
    const v = rng.int(4) === 0 ? new Float32Array(length) : new Float64Array(length);
    for (let i = 0; i < length; i++) v[i] = pick(DOUBLES) * rng.next();
    return v;
  };
  const out: (RoundStartMessage | RoundResultMessage)[] = [];
  for (let i = 0; i < count; i++) {
    const length = pick([0, 1, 15, 16, 784, 2049]);
    const runId = pick(["", "r1", "rlx2k9-12", "rün-ü", "x".repeat(128)]);
    if (rng.int(2) === 0) {
      out.push({
        type: "round-start",
        runId,
        order: {
          round: pick(UINT32S),
          weights: vector(length) as Float64Array,
          tau: pick(UINT32S),
          lastRound: rng.int(2) === 0,
          prevGlobalWasBest: rng.int(2) === 0,
        },
        ...(rng.int(2) === 0 ? { deadlineMs: pick(UINT32S) } : {}),
      });
    } else {
      out.push({
        type: "round-result",
        runId,
        report: {
          round: pick(UINT32S),
          weights: vector(length) as Float64Array,
          tauDone: pick(UINT32S),
          localSeconds: pick(DOUBLES),
          dataSize: pick(UINT32S),
          lossAtGlobal: pick(DOUBLES),
          gradAtGlobal: vector(length) as Float64Array,
          ...(rng.int(2) === 0 ? { beta: pick(DOUBLES) } : {}),
          ...(rng.int(2) === 0 ? { rho: pick(DOUBLES) } : {}),
          ...(rng.int(2) === 0 ? { lossAtBest: pick(DOUBLES) } : {}),
          ...(rng.int(2) === 0 ? { gradNoise: pick(DOUBLES) } : {}),
        },
      });
    }
  }
  return out;
}

describe("the RoundStart and RoundResult encoder", () => {
  it.each(["float64", "float32"] as const)(
    "writes exactly protobuf-es's bytes (%s vectors, 400 messages on every edge)",
    (encoding) => {
      for (const [i, m] of messages(400, encoding === "float64" ? 1 : 2).entries()) {
        const seq = UINT32S[i % UINT32S.length];
        expect(encodeFrame(m, { seq, vectorEncoding: encoding })).toEqual(
          protobufEsFrame(m, seq, encoding),
        );
      }
    },
  );

  it("leaves a value protobuf-es refuses to it, with its sentence", () => {
    const { roundStart, roundResult } = sampleMessages();
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      const start = { ...roundStart, order: { ...roundStart.order, tau: bad } };
      expect(() => encodeFrame(start, { seq: 1 })).toThrow(
        `cannot encode field fedtau.v1.RoundStart.tau to binary: invalid uint32: ${bad}`,
      );
      const result = { ...roundResult, report: { ...roundResult.report, dataSize: bad } };
      expect(() => encodeFrame(result, { seq: 1 })).toThrow("RoundResult.data_size");
      expect(() => encodeFrame(roundStart, { seq: bad })).toThrow("Envelope.seq");
    }
  });
});

describe("shared frames", () => {
  const samples: ProtocolMessage[] = [...Object.values(sampleMessages()), ...messages(60, 3)];

  it("give every connection encodeFrame's bytes for its own seq, for every message type", () => {
    for (const encoding of ["float64", "float32"] as const) {
      for (const m of samples) {
        const shared = encodeSharedFrame(m, encoding);
        for (const seq of [1, 2, 300, 2 ** 32 - 1]) {
          expect(sharedFrameBytes(shared, seq)).toEqual(
            encodeFrame(m, { seq, vectorEncoding: encoding }),
          );
        }
      }
    }
  });

  it("encode the message once: later changes to its vectors do not reach the frames", () => {
    const { roundStart } = sampleMessages();
    const weights = roundStart.order.weights.slice();
    const m = { ...roundStart, order: { ...roundStart.order, weights } };
    const before = encodeFrame(m, { seq: 4 });
    const shared = encodeSharedFrame(m);
    weights.fill(7);
    expect(sharedFrameBytes(shared, 4)).toEqual(before);
  });
});
