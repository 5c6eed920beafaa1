import type { ControlMode } from "../core/control/control-mode.js";
import type { DataAssignment } from "../core/data/assignment.js";
import type { ModelSpec } from "../core/models/create-model.js";
import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import type { NodeId } from "../core/units.js";
import type { ErrorCode } from "./error-codes.js";
import type { VectorEncodingName } from "./vector-codec.js";

/**
 * The messages of the wire protocol as the rest of fedtau sees them: plain, validated values
 * with Float64Array vectors. proto/fedtau.proto documents every field; frame-codec.ts turns these
 * into Envelope frames and back.
 */

/** A run's identity, chosen by the aggregator; every run-scoped message carries it. */
export type RunId = string;

export interface Capabilities {
  /** The node decodes float32 vectors. */
  readonly float32Vectors: boolean;
  /** The node agrees to send a few samples for the dashboard (Ready.preview). */
  readonly sharePreview: boolean;
}

/** node -> aggregator, first: who the node is. */
export interface RegisterMessage {
  readonly type: "register";
  /** The node's name (`node_name` on the wire). */
  readonly id: NodeId;
  /** Shared secret; "" when the aggregator needs none. */
  readonly token: string;
  readonly capabilities: Capabilities;
  /** The node's software, for logs; "" when not given. */
  readonly software: string;
}

/** aggregator -> node: the learning setup; starts run `runId`. */
export interface SetupMessage {
  readonly type: "setup";
  readonly runId: RunId;
  /** The model; the node builds it for its data set's number of features. */
  readonly model: ModelSpec;
  /** Number of weights: the length of every vector of the run. */
  readonly modelSize: number;
  readonly eta: number;
  /** SGD minibatch size, or "full" for deterministic gradient descent on all local data. */
  readonly batchSize: number | "full";
  readonly data: DataAssignment;
  /** Tau is adaptive (the node sends estimates); false: a fixed tau, given in every RoundStart. */
  readonly adaptiveTau: boolean;
  /** The control rules of the run; the node's side of them is nodeTrainingRules (control-mode.ts). */
  readonly control: ControlMode;
  readonly seed: number;
  /** The encoding both sides use for this run's vectors. */
  readonly vectorEncoding: VectorEncodingName;
}

/** A few local samples as grey images (only when the node opted in). */
export interface Preview {
  readonly height: number;
  readonly width: number;
  /** labels.length * height * width grey levels, image after image, row-major. */
  readonly pixels: Uint8Array;
  readonly labels: readonly number[];
}

/** node -> aggregator: data loaded, ready for round 1. */
export interface ReadyMessage {
  readonly type: "ready";
  readonly runId: RunId;
  readonly dataSize: number;
  /** Samples per class 0, 1, 2...; empty for regression data. */
  readonly labelHistogram: readonly number[];
  readonly preview?: Preview;
}

/** aggregator -> node: start a round. */
export interface RoundStartMessage {
  readonly type: "round-start";
  readonly runId: RunId;
  readonly order: RoundOrder;
  /** Milliseconds the node has to answer, from receipt; undefined: no deadline. */
  readonly deadlineMs?: number;
}

/** node -> aggregator: the outcome of a round's local updates. */
export interface RoundResultMessage {
  readonly type: "round-result";
  readonly runId: RunId;
  readonly report: RoundReport;
}

export type StopReasonName =
  | "budget-spent"
  | "round-limit"
  | "operator"
  | "shutdown"
  | "node-removed"
  | "error";

/** aggregator -> node: the run is over. */
export interface StopMessage {
  readonly type: "stop";
  readonly runId: RunId;
  readonly reason: StopReasonName;
  /** The model the run returns; undefined when it ended before its first round. */
  readonly finalWeights?: Float64Array;
  /** Human-readable explanation; "" when none. */
  readonly message: string;
}

/** Either direction: "I am alive". */
export interface HeartbeatMessage {
  readonly type: "heartbeat";
  readonly runId?: RunId;
  /** Sender's wall clock, ms since 1970. */
  readonly sentAtMs: number;
}

/** Either direction: a message was refused, or the sender cannot go on. */
export interface ErrorMessage {
  readonly type: "error";
  readonly runId?: RunId;
  readonly code: ErrorCode;
  readonly message: string;
  readonly detail?: string;
  /** The seq of the frame this error answers. */
  readonly refSeq?: number;
}

export type ProtocolMessage =
  | RegisterMessage
  | SetupMessage
  | ReadyMessage
  | RoundStartMessage
  | RoundResultMessage
  | StopMessage
  | HeartbeatMessage
  | ErrorMessage;

export type MessageType = ProtocolMessage["type"];

/** The messages that belong to one run and must carry its id. */
export const RUN_SCOPED: ReadonlySet<MessageType> = new Set<MessageType>([
  "setup",
  "ready",
  "round-start",
  "round-result",
  "stop",
]);

/** How each message is named in error sentences ("Cannot accept round result from ..."). */
export const MESSAGE_NAMES: Readonly<Record<MessageType, string>> = {
  register: "register",
  setup: "setup",
  ready: "ready",
  "round-start": "round start",
  "round-result": "round result",
  stop: "stop",
  heartbeat: "heartbeat",
  error: "error",
};
