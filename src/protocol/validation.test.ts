import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./error-codes.js";
import { type DecodeContext, decodeFrame, encodeFrame } from "./frame-codec.js";
import {
  type Activation,
  type Envelope,
  EnvelopeSchema,
  type Task,
  type VectorEncoding,
  type ErrorCode as WireErrorCode,
} from "./gen/fedtau_pb.js";
import type { ProtocolMessage } from "./messages.js";
import { sampleMessages } from "./test-support/sample-messages.js";

const ctx: DecodeContext = { from: "n3", modelSize: 784, runId: "run-1" };
const s = sampleMessages();

/** The frame of `message`, after `edit` changed its wire form (to make what encodeFrame cannot). */
function edited(message: ProtocolMessage, edit: (e: Envelope) => void): Uint8Array {
  const envelope = fromBinary(EnvelopeSchema, encodeFrame(message, { seq: 9 }));
  edit(envelope);
  return toBinary(EnvelopeSchema, envelope);
}

type Bodies = {
  [B in Exclude<Envelope["body"], { case: undefined }> as B["case"]]: B["value"];
};

/** The envelope's body as one case, for editing. */
function body<C extends keyof Bodies>(e: Envelope, kind: C): Bodies[C] {
  const b = e.body as { case: string | undefined; value?: unknown };
  if (b.case !== kind) throw new Error(`not a ${kind}`);
  return b.value as Bodies[C];
}

function frameOf(message: ProtocolMessage): Uint8Array {
  return encodeFrame(message, { seq: 9 });
}

function withVector(v: Float64Array, i: number, x: number): Float64Array {
  const out = v.slice();
  out[i] = x;
  return out;
}

const setupWith = (patch: object) => frameOf({ ...s.setup, ...patch } as ProtocolMessage);
const dataWith = (patch: object) => setupWith({ data: { ...s.setup.data, ...patch } });
const orderWith = (patch: object) =>
  frameOf({ ...s.roundStart, order: { ...s.roundStart.order, ...patch } } as ProtocolMessage);
const reportWith = (patch: object) =>
  frameOf({ ...s.roundResult, report: { ...s.roundResult.report, ...patch } } as ProtocolMessage);

type Case = [
  name: string,
  frame: () => Uint8Array,
  code: ErrorCode,
  message: string | RegExp,
  context?: DecodeContext,
];

const cases: Case[] = [
  // The frame itself.
  [
    "a frame over the size limit",
    () => frameOf(s.roundResult),
    "too-large",
    /^Cannot accept frame from "n3": \d+ bytes, more than the limit of 1000$/,
    { ...ctx, maxMessageBytes: 1000 },
  ],
  [
    "bytes that are not protobuf",
    () => Uint8Array.of(0xff, 0xff, 0xff, 0xff),
    "bad-frame",
    'Cannot accept frame from "n3": not a fedtau envelope',
  ],
  [
    "a length running past the end",
    () => frameOf(s.roundStart).subarray(0, 40),
    "bad-frame",
    'Cannot accept frame from "n3": not a fedtau envelope',
  ],
  [
    "text instead of bytes",
    () => "hello" as unknown as Uint8Array,
    "bad-frame",
    'Cannot accept frame from "n3": not binary data',
  ],
  [
    "another protocol version",
    () =>
      edited(s.register, (e) => {
        e.protocolVersion = 2;
      }),
    "wrong-version",
    'Cannot accept register from "n3": protocol version 2, expected 1',
  ],
  [
    "an empty frame (version 0)",
    () => new Uint8Array(0),
    "wrong-version",
    'Cannot accept frame from "n3": protocol version 0, expected 1',
  ],
  [
    "an envelope without a message",
    () =>
      edited(s.heartbeat, (e) => {
        e.body = { case: undefined };
      }),
    "unknown-type",
    'Cannot accept frame from "n3": it holds no message',
  ],
  [
    "a message of a later version (unknown oneof field 18)",
    () => {
      const bare = edited(s.heartbeat, (e) => {
        e.body = { case: undefined };
      });
      return Uint8Array.from([...bare, 0x92, 0x01, 0x00]);
    },
    "unknown-type",
    'Cannot accept frame from "n3": it holds no message this version knows (field 18)',
  ],
  [
    "a run-scoped message without a run id",
    () => frameOf({ ...s.roundResult, runId: "" }),
    "missing-field",
    'Cannot accept round result from "n3": runId is missing',
  ],
  [
    "a run id over 128 characters",
    () => frameOf({ ...s.roundResult, runId: "r".repeat(129) }),
    "too-large",
    'Cannot accept round result from "n3": runId has 129 characters, more than 128',
  ],
  [
    "a late result of an earlier run",
    () => frameOf({ ...s.roundResult, runId: "run-0" }),
    "stale-run",
    'Cannot accept round result from "n3": run "run-0" is not the current run "run-1"',
  ],
  [
    "a heartbeat of an earlier run",
    () => frameOf({ ...s.heartbeat, runId: "run-0" }),
    "stale-run",
    'Cannot accept heartbeat from "n3": run "run-0" is not the current run "run-1"',
  ],
  [
    "a result of another round",
    () => frameOf(s.roundResult),
    "out-of-order",
    'Cannot accept round result from "n3": round 3, expected round 4',
    { ...ctx, expectedRound: 4 },
  ],
  [
    "a round start of another round",
    () => frameOf(s.roundStart),
    "out-of-order",
    'Cannot accept round start from "n3": round 3, expected round 2',
    { ...ctx, expectedRound: 2 },
  ],

  // Register.
  [
    "an empty node name",
    () => frameOf({ ...s.register, id: "" }),
    "bad-name",
    'Cannot accept register from "n3": nodeName must be 1 to 64 characters from A-Z a-z 0-9 . _ -, got ""',
  ],
  [
    "a node name with a space",
    () => frameOf({ ...s.register, id: "pi kitchen" }),
    "bad-name",
    /nodeName must be .* got "pi kitchen"$/,
  ],
  [
    "a node name of 65 characters",
    () => frameOf({ ...s.register, id: "n".repeat(65) }),
    "bad-name",
    /nodeName must be 1 to 64 characters/,
  ],
  [
    "a token over 256 characters",
    () => frameOf({ ...s.register, token: "t".repeat(257) }),
    "too-large",
    'Cannot accept register from "n3": token has 257 characters, more than 256',
  ],

  // Setup.
  [
    "a setup without a model",
    () =>
      edited(s.setup, (e) => {
        body(e, "setup").model = undefined;
      }),
    "missing-field",
    'Cannot accept setup from "n3": model is missing',
  ],
  [
    "an unspecified model kind",
    () =>
      edited(s.setup, (e) => {
        body(e, "setup").model!.kind = 0;
      }),
    "unknown-enum",
    'Cannot accept setup from "n3": model.kind has unknown value 0',
  ],
  [
    "a NaN lambda",
    () => setupWith({ model: { kind: "svm", lambda: Number.NaN } }),
    "not-finite",
    'Cannot accept setup from "n3": model.lambda must be a finite number, got NaN',
  ],
  [
    "a negative lambda",
    () => setupWith({ model: { kind: "logistic", lambda: -0.1 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.lambda must be at least 0, got -0.1',
  ],
  [
    "a softmax of one class",
    () => setupWith({ model: { kind: "softmax", classes: 1 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.classes must be at least 2, got 1',
  ],
  [
    "K-means with k = 0",
    () => setupWith({ model: { kind: "kmeans", k: 0 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.k must be at least 1, got 0',
  ],
  [
    "a softmax of 1025 classes",
    () => setupWith({ model: { kind: "softmax", classes: 1025 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.classes must be at most 1024, got 1025',
  ],
  [
    "K-means with 2^32 - 1 clusters",
    () => setupWith({ model: { kind: "kmeans", k: 4294967295 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.k must be at most 1024, got 4294967295',
  ],
  [
    "an MLP hidden layer of 4097 units",
    () => setupWith({ model: { kind: "mlp", hidden: 4097 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.hidden must be at most 4096, got 4097',
  ],
  [
    "an MLP hidden layer of width 0",
    () => setupWith({ model: { kind: "mlp", hidden: 0 } }),
    "out-of-range",
    'Cannot accept setup from "n3": model.hidden must be at least 1, got 0',
  ],
  [
    "an unknown activation",
    () =>
      edited({ ...s.setup, model: { kind: "mlp" } }, (e) => {
        body(e, "setup").model!.activation = 9 as Activation;
      }),
    "unknown-enum",
    'Cannot accept setup from "n3": model.activation has unknown value 9',
  ],
  [
    "a model size of 0",
    () => setupWith({ modelSize: 0 }),
    "out-of-range",
    'Cannot accept setup from "n3": modelSize must be at least 1, got 0',
  ],
  [
    "a model of 2^24 + 1 weights",
    () => setupWith({ modelSize: 16777217 }),
    "out-of-range",
    'Cannot accept setup from "n3": modelSize must be at most 16777216, got 16777217',
  ],
  [
    "a NaN step size",
    () => setupWith({ eta: Number.NaN }),
    "not-finite",
    'Cannot accept setup from "n3": eta must be a finite number, got NaN',
  ],
  [
    "an infinite step size",
    () => setupWith({ eta: Number.POSITIVE_INFINITY }),
    "not-finite",
    'Cannot accept setup from "n3": eta must be a finite number, got Infinity',
  ],
  [
    "a step size of 0",
    () => setupWith({ eta: 0 }),
    "out-of-range",
    'Cannot accept setup from "n3": eta must be greater than 0, got 0',
  ],
  [
    "a setup without a data assignment",
    () =>
      edited(s.setup, (e) => {
        body(e, "setup").data = undefined;
      }),
    "missing-field",
    'Cannot accept setup from "n3": data is missing',
  ],
  [
    "an empty data set spec",
    () => dataWith({ dataset: "" }),
    "missing-field",
    'Cannot accept setup from "n3": data.dataset is empty',
  ],
  [
    "a data set spec fedtau does not know",
    () => dataWith({ dataset: "ftp://example/mnist" }),
    "unknown-enum",
    'Cannot accept setup from "n3": data.dataset must be a data set spec ("mnist", "idx:DIR" or "csv:FILE"), got "ftp://example/mnist"',
  ],
  [
    "an unknown task",
    () =>
      edited(s.setup, (e) => {
        body(e, "setup").data!.task = 99 as Task;
      }),
    "unknown-enum",
    'Cannot accept setup from "n3": data.task has unknown value 99',
  ],
  [
    "a data assignment without a partition",
    () =>
      edited(s.setup, (e) => {
        body(e, "setup").data!.partition = { case: undefined };
      }),
    "missing-field",
    'Cannot accept setup from "n3": data.partition is missing',
  ],
  [
    "case 5",
    () => dataWith({ partition: { kind: "case", case: 5 } }),
    "out-of-range",
    'Cannot accept setup from "n3": data.partition.case must be at most 4, got 5',
  ],
  [
    "case 0",
    () => dataWith({ partition: { kind: "case", case: 0 } }),
    "out-of-range",
    'Cannot accept setup from "n3": data.partition.case must be at least 1, got 0',
  ],
  [
    "a Dirichlet alpha of 0",
    () => dataWith({ partition: { kind: "dirichlet", alpha: 0, seed: 1 } }),
    "out-of-range",
    'Cannot accept setup from "n3": data.partition.alpha must be greater than 0, got 0',
  ],
  [
    "an infinite Dirichlet alpha",
    () => dataWith({ partition: { kind: "dirichlet", alpha: Number.POSITIVE_INFINITY, seed: 1 } }),
    "not-finite",
    'Cannot accept setup from "n3": data.partition.alpha must be a finite number, got Infinity',
  ],
  [
    "a node index past the node count",
    () => dataWith({ nodeIndex: 5, nodeCount: 5 }),
    "out-of-range",
    'Cannot accept setup from "n3": data.nodeIndex must be less than nodeCount 5, got 5',
  ],
  [
    "a node count of 2^32 - 1",
    () => dataWith({ nodeIndex: 0, nodeCount: 4294967295 }),
    "out-of-range",
    'Cannot accept setup from "n3": data.nodeCount must be at most 10000, got 4294967295',
  ],
  [
    "a node count of 0",
    () => dataWith({ nodeIndex: 0, nodeCount: 0 }),
    "out-of-range",
    'Cannot accept setup from "n3": data.nodeCount must be at least 1, got 0',
  ],
  [
    "an unknown vector encoding in setup",
    () =>
      edited(s.setup, (e) => {
        body(e, "setup").vectorEncoding = 7 as VectorEncoding;
      }),
    "unknown-enum",
    'Cannot accept setup from "n3": vectorEncoding has unknown value 7',
  ],

  // Ready.
  [
    "a data size of 0",
    () => frameOf({ ...s.ready, dataSize: 0, labelHistogram: [] }),
    "out-of-range",
    'Cannot accept ready from "n3": dataSize must be at least 1, got 0',
  ],
  [
    "a histogram that does not sum to the data size",
    () => frameOf({ ...s.ready, dataSize: 13 }),
    "out-of-range",
    'Cannot accept ready from "n3": labelHistogram sums to 12, expected the data size 13',
  ],
  [
    "a histogram of 1025 classes",
    () => frameOf({ ...s.ready, dataSize: 1025, labelHistogram: new Array(1025).fill(1) }),
    "too-large",
    'Cannot accept ready from "n3": labelHistogram has 1025 entries, more than 1024',
  ],
  [
    "preview pixels that do not fit the images",
    () => frameOf({ ...s.ready, preview: { ...s.ready.preview!, labels: [0, 3, 5] } }),
    "wrong-length",
    'Cannot accept ready from "n3": expected 2352 preview pixels (3 images of 28 x 28), got 1568',
  ],
  [
    "a preview of height 0",
    () => frameOf({ ...s.ready, preview: { ...s.ready.preview!, height: 0 } }),
    "out-of-range",
    'Cannot accept ready from "n3": preview.height must be at least 1, got 0',
  ],
  [
    "a preview without images",
    () =>
      frameOf({
        ...s.ready,
        preview: { height: 1, width: 1, pixels: new Uint8Array(), labels: [] },
      }),
    "missing-field",
    'Cannot accept ready from "n3": preview.labels is empty',
  ],

  // RoundStart.
  [
    "global weights of the wrong length",
    () => orderWith({ weights: s.roundStart.order.weights.subarray(0, 783) }),
    "wrong-length",
    'Cannot accept round start from "n3": expected 784 weights, got 783',
  ],
  [
    "NaN in the global weights",
    () => orderWith({ weights: withVector(s.roundStart.order.weights, 10, Number.NaN) }),
    "not-finite",
    'Cannot accept round start from "n3": weights[10] must be a finite number, got NaN',
  ],
  [
    "tau 2^32 - 1",
    () => orderWith({ tau: 4294967295 }),
    "out-of-range",
    'Cannot accept round start from "n3": tau must be at most 1000000, got 4294967295',
  ],
  [
    "tau 0",
    () => orderWith({ tau: 0 }),
    "out-of-range",
    'Cannot accept round start from "n3": tau must be at least 1, got 0',
  ],
  [
    "round 0",
    () => orderWith({ round: 0 }),
    "out-of-range",
    'Cannot accept round start from "n3": round must be at least 1, got 0',
  ],
  [
    "a round start without weights",
    () =>
      edited(s.roundStart, (e) => {
        body(e, "roundStart").weights = undefined;
      }),
    "missing-field",
    'Cannot accept round start from "n3": weights is missing',
  ],
  [
    "vector bytes that are not whole values",
    () =>
      edited(s.roundStart, (e) => {
        body(e, "roundStart").weights!.data = new Uint8Array(13);
      }),
    "wrong-length",
    'Cannot accept round start from "n3": weights has 13 bytes, not a whole number of float64 values (8 bytes each)',
  ],
  [
    "an unknown vector encoding",
    () =>
      edited(s.roundStart, (e) => {
        body(e, "roundStart").weights!.encoding = 5 as VectorEncoding;
      }),
    "unknown-enum",
    'Cannot accept round start from "n3": weights.encoding has unknown value 5',
  ],

  // RoundResult.
  [
    "local weights of the wrong length",
    () => reportWith({ weights: s.roundResult.report.weights.subarray(0, 783) }),
    "wrong-length",
    'Cannot accept round result from "n3": expected 784 weights, got 783',
  ],
  [
    "a gradient of the wrong length",
    () => reportWith({ gradAtGlobal: new Float64Array(785) }),
    "wrong-length",
    'Cannot accept round result from "n3": expected 784 gradient values, got 785',
  ],
  [
    "a gradient shorter than the weights, model size unknown",
    () => reportWith({ gradAtGlobal: new Float64Array(10) }),
    "wrong-length",
    'Cannot accept round result from "n3": expected 784 gradient values, got 10',
    { from: "n3" },
  ],
  [
    "empty weights, model size unknown",
    () => reportWith({ weights: new Float64Array(0), gradAtGlobal: new Float64Array(0) }),
    "wrong-length",
    'Cannot accept round result from "n3": expected at least 1 weights, got 0',
    { from: "n3" },
  ],
  [
    "a result without the gradient",
    () =>
      edited(s.roundResult, (e) => {
        body(e, "roundResult").gradAtGlobal = undefined;
      }),
    "missing-field",
    'Cannot accept round result from "n3": gradAtGlobal is missing',
  ],
  [
    "tauDone 0",
    () => reportWith({ tauDone: 0 }),
    "out-of-range",
    'Cannot accept round result from "n3": tauDone must be at least 1, got 0',
  ],
  [
    "an infinite local time",
    () => reportWith({ localSeconds: Number.POSITIVE_INFINITY }),
    "not-finite",
    'Cannot accept round result from "n3": localSeconds must be a finite number, got Infinity',
  ],
  [
    "a negative local time",
    () => reportWith({ localSeconds: -0.5 }),
    "out-of-range",
    'Cannot accept round result from "n3": localSeconds must be at least 0, got -0.5',
  ],
  [
    "a data size of 0 in a result",
    () => reportWith({ dataSize: 0 }),
    "out-of-range",
    'Cannot accept round result from "n3": dataSize must be at least 1, got 0',
  ],
  [
    "a NaN beta",
    () => reportWith({ beta: Number.NaN }),
    "not-finite",
    'Cannot accept round result from "n3": beta must be a finite number, got NaN',
  ],
  [
    "a negative rho",
    () => reportWith({ rho: -1 }),
    "out-of-range",
    'Cannot accept round result from "n3": rho must be at least 0, got -1',
  ],
  [
    "a negative gradient noise",
    () => reportWith({ gradNoise: -0.25 }),
    "out-of-range",
    'Cannot accept round result from "n3": gradNoise must be at least 0, got -0.25',
  ],
  [
    "an infinite gradient noise",
    () => reportWith({ gradNoise: Number.POSITIVE_INFINITY }),
    "not-finite",
    'Cannot accept round result from "n3": gradNoise must be a finite number, got Infinity',
  ],

  // Stop.
  [
    "an unspecified stop reason",
    () =>
      edited(s.stop, (e) => {
        body(e, "stop").reason = 0;
      }),
    "unknown-enum",
    'Cannot accept stop from "n3": reason has unknown value 0',
  ],
  [
    "infinite final weights",
    () => frameOf({ ...s.stop, finalWeights: withVector(s.stop.finalWeights!, 0, -Infinity) }),
    "not-finite",
    'Cannot accept stop from "n3": finalWeights[0] must be a finite number, got -Infinity',
  ],
  [
    "final weights of the wrong length",
    () => frameOf({ ...s.stop, finalWeights: new Float64Array(10) }),
    "wrong-length",
    'Cannot accept stop from "n3": expected 784 weights, got 10',
  ],
  [
    "a stop message over 1024 characters",
    () => frameOf({ ...s.stop, message: "x".repeat(1025) }),
    "too-large",
    'Cannot accept stop from "n3": message has 1025 characters, more than 1024',
  ],

  // Heartbeat and Error.
  [
    "a NaN heartbeat time",
    () => frameOf({ ...s.heartbeat, sentAtMs: Number.NaN }),
    "not-finite",
    'Cannot accept heartbeat from "n3": sentAtMs must be a finite number, got NaN',
  ],
  [
    "an unspecified error code",
    () =>
      edited(s.error, (e) => {
        body(e, "error").code = 0;
      }),
    "unknown-enum",
    'Cannot accept error from "n3": code has unknown value 0',
  ],
  [
    "an error code of a later version",
    () =>
      edited(s.error, (e) => {
        body(e, "error").code = 99 as WireErrorCode;
      }),
    "unknown-enum",
    'Cannot accept error from "n3": code has unknown value 99',
  ],
  [
    "an error without a message",
    () => frameOf({ ...s.error, message: "" }),
    "missing-field",
    'Cannot accept error from "n3": message is empty',
  ],
  [
    "an error detail over 4096 characters",
    () => frameOf({ ...s.error, detail: "d".repeat(4097) }),
    "too-large",
    'Cannot accept error from "n3": detail has 4097 characters, more than 4096',
  ],
];

describe("validation at the boundary", () => {
  for (const [name, frame, code, message, context] of cases) {
    it(`refuses ${name} with ${code}`, () => {
      const decoded = decodeFrame(frame(), context ?? ctx);
      expect(decoded.ok).toBe(false);
      if (decoded.ok) return;
      expect(decoded.error.code).toBe(code);
      if (typeof message === "string") expect(decoded.error.message).toBe(message);
      else expect(decoded.error.message).toMatch(message);
    });
  }

  it("covers every code that a frame alone can cause", () => {
    const seen = new Set(cases.map((c) => c[2]));
    for (const code of [
      "bad-frame",
      "unknown-type",
      "wrong-version",
      "wrong-length",
      "not-finite",
      "too-large",
      "stale-run",
      "out-of-order",
      "missing-field",
      "unknown-enum",
      "out-of-range",
      "bad-name",
    ] as const) {
      expect(seen.has(code), code).toBe(true);
    }
  });

  it("names the field at fault and tells the frame's seq, type and run for the reply", () => {
    const decoded = decodeFrame(
      reportWith({ weights: s.roundResult.report.weights.subarray(0, 783) }),
      ctx,
    );
    expect(decoded).toMatchObject({
      ok: false,
      seq: 9,
      type: "round-result",
      runId: "run-1",
      error: { code: "wrong-length", field: "weights" },
    });
  });

  it("words a refusal without a known peer", () => {
    const decoded = decodeFrame(orderWith({ tau: 0 }), { modelSize: 784 });
    expect(decoded.ok || decoded.error.message).toBe(
      "Cannot accept round start: tau must be at least 1, got 0",
    );
  });
});
