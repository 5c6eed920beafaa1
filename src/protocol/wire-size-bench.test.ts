import {
  create,
  createFileRegistry,
  type DescMessage,
  fromBinary,
  type Message,
  toBinary,
} from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import { decodeFrame, encodeFrame } from "./frame-codec.js";
import { VectorSchema } from "./gen/fedtau_pb.js";
import { vectorCodec } from "./vector-codec.js";
import { vectorToWire } from "./vector-field.js";

/**
 * Why vectors travel as `bytes`: the same 100,000 numbers as a `repeated double` (packed)
 * field, encoded and decoded with the same runtime. Logged, not asserted: timings vary by machine.
 */

const N = 100_000;
const REPS = 15;

/** message Doubles { repeated double values = 1; }, built at run time: test-only. */
function doublesSchema(): DescMessage {
  const file = create(FileDescriptorProtoSchema, {
    name: "bench.proto",
    package: "bench",
    syntax: "proto3",
    messageType: [
      {
        name: "Doubles",
        field: [
          {
            name: "values",
            jsonName: "values",
            number: 1,
            type: FieldDescriptorProto_Type.DOUBLE,
            label: FieldDescriptorProto_Label.REPEATED,
          },
        ],
      },
    ],
  });
  return createFileRegistry(file, () => undefined).getMessage("bench.Doubles")!;
}

function median(run: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(REPS / 2)];
}

describe("vector wire format, measured", () => {
  it("compares bytes with repeated double for 100k values (logged)", () => {
    const rng = new Rng(11);
    const v = new Float64Array(N);
    for (let i = 0; i < N; i++) v[i] = rng.normal();
    const Doubles = doublesSchema();

    let doublesBytes: Uint8Array = new Uint8Array();
    let back: Float64Array = new Float64Array();
    const encRepeated = median(() => {
      doublesBytes = toBinary(Doubles, create(Doubles, { values: Array.from(v) }) as Message);
    });
    const decRepeated = median(() => {
      const m = fromBinary(Doubles, doublesBytes) as unknown as { values: number[] };
      back = Float64Array.from(m.values);
    });
    expect(back).toEqual(v);

    const figures: Record<string, string> = {};
    for (const encoding of ["float64", "float32"] as const) {
      let bytes: Uint8Array = new Uint8Array();
      const enc = median(() => {
        bytes = toBinary(VectorSchema, vectorToWire(v, encoding));
      });
      const dec = median(() => {
        const m = fromBinary(VectorSchema, bytes);
        back = vectorCodec.decode(m.data, encoding);
      });
      expect(back.length).toBe(N);
      figures[`bytes ${encoding}`] =
        `${bytes.byteLength} B, encode ${enc.toFixed(2)} ms, decode ${dec.toFixed(2)} ms`;
      if (encoding === "float64") {
        expect(back).toEqual(v);
        figures["speed-up float64 bytes vs repeated"] =
          `encode ${(encRepeated / enc).toFixed(1)}x, decode ${(decRepeated / dec).toFixed(1)}x`;
      }
    }
    figures["repeated double"] =
      `${doublesBytes.byteLength} B, encode ${encRepeated.toFixed(2)} ms, decode ${decRepeated.toFixed(2)} ms`;

    // A whole RoundResult frame (weights + gradient) of 100k weights, validation included.
    const report = {
      round: 2,
      weights: v,
      tauDone: 10,
      localSeconds: 0.5,
      dataSize: 12_000,
      lossAtGlobal: 0.3,
      gradAtGlobal: v,
      beta: 1,
      rho: 2,
    };
    const message = { type: "round-result", runId: "r", report } as const;
    let frame: Uint8Array = new Uint8Array();
    const encFrame = median(() => {
      frame = encodeFrame(message, { seq: 1 });
    });
    const decFrame = median(() => {
      const d = decodeFrame(frame, { modelSize: N, runId: "r" });
      if (!d.ok) throw new Error(d.error.message);
    });
    figures["RoundResult frame, 2 x 100k float64"] =
      `${frame.byteLength} B, encode ${encFrame.toFixed(2)} ms, decode+validate ${decFrame.toFixed(2)} ms`;

    console.log(
      `Vector wire format, 100,000 values, median of ${REPS}:\n${Object.entries(figures)
        .map(([k, f]) => `  ${k}: ${f}`)
        .join("\n")}`,
    );
  });
});
