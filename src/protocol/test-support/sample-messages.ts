import { Rng } from "../../core/data/rng.js";
import type {
  ErrorMessage,
  HeartbeatMessage,
  ProtocolMessage,
  ReadyMessage,
  RegisterMessage,
  RoundResultMessage,
  RoundStartMessage,
  SetupMessage,
  StopMessage,
} from "../messages.js";

/** Valid messages of every type, with seeded random vectors of `size` weights. */
export function sampleMessages(size = 784, seed = 7) {
  const rng = new Rng(seed);
  const vector = (): Float64Array => {
    const v = new Float64Array(size);
    for (let i = 0; i < size; i++) v[i] = rng.normal() * 0.1;
    return v;
  };
  const register: RegisterMessage = {
    type: "register",
    id: "n3",
    token: "s3cret",
    capabilities: { float32Vectors: true, sharePreview: true },
    software: "fedtau 0.1.0 node",
  };
  const setup: SetupMessage = {
    type: "setup",
    runId: "run-1",
    model: { kind: "svm", lambda: 0.1 },
    modelSize: size,
    eta: 0.01,
    batchSize: 100,
    data: {
      dataset: "mnist",
      task: "even-odd",
      partition: { kind: "case", case: 4 },
      nodeIndex: 2,
      nodeCount: 5,
    },
    adaptiveTau: true,
    control: "fedtau",
    seed: 42,
    vectorEncoding: "float64",
  };
  const pixels = new Uint8Array(2 * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256);
  const ready: ReadyMessage = {
    type: "ready",
    runId: "run-1",
    dataSize: 12,
    labelHistogram: [3, 0, 4, 5],
    preview: { height: 28, width: 28, pixels, labels: [0, 3] },
  };
  const roundStart: RoundStartMessage = {
    type: "round-start",
    runId: "run-1",
    order: { round: 3, weights: vector(), tau: 7, lastRound: false, prevGlobalWasBest: true },
    deadlineMs: 5000,
  };
  const roundResult: RoundResultMessage = {
    type: "round-result",
    runId: "run-1",
    report: {
      round: 3,
      weights: vector(),
      tauDone: 7,
      localSeconds: 0.0913,
      dataSize: 12,
      lossAtGlobal: 0.2231,
      gradAtGlobal: vector(),
      beta: 1e-5,
      rho: 0,
      lossAtBest: 0.2229,
      gradNoise: 0.0041,
    },
  };
  const stop: StopMessage = {
    type: "stop",
    runId: "run-1",
    reason: "budget-spent",
    finalWeights: vector(),
    message: "budget of 15 s spent after 41 rounds",
  };
  const heartbeat: HeartbeatMessage = { type: "heartbeat", sentAtMs: 1_732_000_000_123.5 };
  const error: ErrorMessage = {
    type: "error",
    runId: "run-1",
    code: "wrong-length",
    message: 'Cannot accept round result from "n3": expected 784 weights, got 783',
    detail: "weights",
    refSeq: 17,
  };
  return { register, setup, ready, roundStart, roundResult, stop, heartbeat, error };
}

export type SampleMessages = ReturnType<typeof sampleMessages>;

export function allSamples(size?: number): ProtocolMessage[] {
  return Object.values(sampleMessages(size));
}
