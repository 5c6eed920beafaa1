import { describe, expect, it } from "vitest";
import { decodeFrame, encodedFrameLength, encodeFrame } from "./frame-codec.js";
import type { ProtocolMessage } from "./messages.js";
import { allSamples, sampleMessages } from "./test-support/sample-messages.js";

const ctx = { from: "n3", modelSize: 784, runId: "run-1" };

function roundTrip(message: ProtocolMessage, vectorEncoding?: "float64" | "float32") {
  const frame = encodeFrame(message, { seq: 5, vectorEncoding });
  const decoded = decodeFrame(frame, ctx);
  if (!decoded.ok) throw new Error(decoded.error.message);
  expect(decoded.seq).toBe(5);
  return decoded.message;
}

describe("frame codec", () => {
  const samples = sampleMessages();

  for (const [name, message] of Object.entries(samples)) {
    it(`round-trips ${name} exactly (float64 vectors)`, () => {
      expect(roundTrip(message)).toEqual(message);
    });
  }

  it("counts a frame's bytes as encodeFrame writes them, for every message and encoding", () => {
    for (const message of allSamples()) {
      for (const vectorEncoding of ["float64", "float32"] as const) {
        for (const seq of [1, 200, 70_000]) {
          const options = { seq, vectorEncoding };
          expect(encodedFrameLength(message, options)).toBe(
            encodeFrame(message, options).byteLength,
          );
        }
      }
    }
  });

  it("round-trips the other variants: dirichlet, full batch, fixed tau, float32, minimal fields", () => {
    const setup = {
      ...samples.setup,
      model: { kind: "mlp", hidden: 64, classes: 10, activation: "relu" },
      batchSize: "full",
      adaptiveTau: false,
      vectorEncoding: "float32",
      data: { ...samples.setup.data, partition: { kind: "dirichlet", alpha: 0.5, seed: 9 } },
    } as const;
    expect(roundTrip(setup)).toEqual(setup);
    const { preview: _, ...bareReady } = samples.ready;
    expect(roundTrip({ ...bareReady, labelHistogram: [] })).toEqual({
      ...bareReady,
      labelHistogram: [],
    });
    const {
      beta: _b,
      rho: _r,
      lossAtBest: _l,
      gradNoise: _n,
      ...round1
    } = samples.roundResult.report;
    const result1 = { ...samples.roundResult, report: { ...round1, round: 1 } };
    const back = roundTrip(result1);
    expect(back).toEqual(result1);
    expect("beta" in (back as typeof result1).report).toBe(false);
    const { finalWeights: _w, ...bareStop } = samples.stop;
    expect(roundTrip(bareStop)).toEqual(bareStop);
    const { deadlineMs: _d, ...noDeadline } = samples.roundStart;
    expect(roundTrip(noDeadline)).toEqual(noDeadline);
    const bareError = { type: "error", code: "internal", message: "Cannot load mnist" } as const;
    expect(roundTrip(bareError)).toEqual(bareError);
  });

  it("round-trips every model kind with its options, and with none", () => {
    const models = [
      { kind: "svm", lambda: 0.1 },
      { kind: "logistic", lambda: 0 },
      { kind: "softmax", classes: 10, lambda: 1e-4 },
      { kind: "linear" },
      { kind: "kmeans", k: 10 },
      { kind: "mlp", hidden: 32, classes: 10, activation: "tanh" },
      { kind: "mlp" },
      { kind: "svm" },
    ] as const;
    for (const model of models) {
      const setup = { ...samples.setup, model };
      expect(roundTrip(setup)).toEqual(setup);
    }
  });

  it("keeps the presence of optional numbers, zero included (rho = 0 is not absent)", () => {
    const report = { ...samples.roundResult.report, beta: 0, rho: 0, lossAtBest: 0 };
    const back = roundTrip({ ...samples.roundResult, report });
    expect(back).toMatchObject({ report: { beta: 0, rho: 0, lossAtBest: 0 } });
  });

  it("carries float32 vectors as the float32 values, exactly, in half the bytes", () => {
    const { roundStart, roundResult } = samples;
    const f64 = encodeFrame(roundResult, { seq: 1 });
    const f32 = encodeFrame(roundResult, { seq: 1, vectorEncoding: "float32" });
    expect(f32.byteLength).toBeLessThan(f64.byteLength * 0.52);
    const back = roundTrip(roundResult, "float32");
    expect(back).toMatchObject({
      report: {
        weights: roundResult.report.weights.map(Math.fround),
        gradAtGlobal: roundResult.report.gradAtGlobal.map(Math.fround),
      },
    });
    const start = roundTrip(roundStart, "float32");
    expect(start).toMatchObject({ order: { weights: roundStart.order.weights.map(Math.fround) } });
  });

  it("reads frames at unaligned offsets of a larger buffer", () => {
    const frame = encodeFrame(samples.roundResult, { seq: 2 });
    for (let offset = 0; offset < 8; offset++) {
      const big = new Uint8Array(frame.byteLength + offset + 3);
      big.set(frame, offset);
      const decoded = decodeFrame(big.subarray(offset, offset + frame.byteLength), ctx);
      expect(decoded.ok && decoded.message).toEqual(samples.roundResult);
    }
  });

  it("reads a browser ArrayBuffer and a pooled Node Buffer alike", () => {
    const frame = encodeFrame(samples.roundStart, { seq: 2 });
    const fromArrayBuffer = decodeFrame(frame.slice().buffer, ctx);
    expect(fromArrayBuffer.ok && fromArrayBuffer.message).toEqual(samples.roundStart);
    const pooled = Buffer.concat([Buffer.from("xyz"), Buffer.from(frame)]).subarray(3);
    const fromBuffer = decodeFrame(pooled, ctx);
    expect(fromBuffer.ok && fromBuffer.message).toEqual(samples.roundStart);
  });

  it("hands out vectors that do not share memory with the frame", () => {
    const frame = encodeFrame(samples.roundStart, { seq: 2 });
    const copy = frame.slice();
    const decoded = decodeFrame(frame, ctx);
    if (!decoded.ok || decoded.message.type !== "round-start") throw new Error("not decoded");
    decoded.message.order.weights.fill(7);
    expect(frame).toEqual(copy);
  });

  it("needs no context for messages without vectors, and any length when modelSize is unknown", () => {
    for (const message of Object.values(samples)) {
      const decoded = decodeFrame(encodeFrame(message, { seq: 1 }));
      expect(decoded.ok).toBe(true);
    }
  });

  it("accepts a Setup of a new run although the context names the previous run", () => {
    const setup = { ...samples.setup, runId: "run-2" };
    const decoded = decodeFrame(encodeFrame(setup, { seq: 1 }), ctx);
    expect(decoded.ok && decoded.message).toEqual(setup);
  });

  it("accepts the expected round", () => {
    const frame = encodeFrame(samples.roundResult, { seq: 1 });
    expect(decodeFrame(frame, { ...ctx, expectedRound: 3 }).ok).toBe(true);
  });

  it("keeps NaN and infinities in a diverged node's report (the aggregator handles them)", () => {
    const weights = samples.roundResult.report.weights.slice();
    weights[5] = Number.NaN;
    weights[6] = Number.POSITIVE_INFINITY;
    const report = { ...samples.roundResult.report, weights, lossAtGlobal: Number.NaN };
    const back = roundTrip({ ...samples.roundResult, report });
    expect(back).toMatchObject({ report: { lossAtGlobal: Number.NaN } });
    expect((back as typeof samples.roundResult).report.weights).toEqual(weights);
  });
});
