import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { WebSocket } from "ws";
import { Rng } from "../../src/core/data/rng.js";
import { EnvelopeSchema, type ErrorCode } from "../../src/protocol/gen/fedtau_pb.js";
import { decodeFrame, encodeFrame, type ProtocolMessage } from "../../src/protocol/index.js";

/**
 * Seeded frames for a live aggregator: garbage, mutations of valid frames, valid messages with
 * wrong fields, out-of-order and stale messages, text frames, oversized frames. Every choice
 * comes from one Rng, so a seed gives the same frames (their timing on the wire varies).
 */

/** One frame to send: binary, or text (a text frame is refused as bad-frame). */
export type FuzzFrame = Uint8Array | string;

/** What one fuzz connection does: its frames, in order. */
export interface FuzzScript {
  readonly kind: "anonymous" | "registered" | "huge";
  readonly frames: readonly FuzzFrame[];
}

/** What came back on one connection. */
export interface FuzzOutcome {
  readonly kind: FuzzScript["kind"];
  readonly sent: number;
  /** Codes of the Error frames received, in order. */
  readonly codes: readonly string[];
  /** The close code, or null when the aggregator had not closed the connection in time. */
  readonly closeCode: number | null;
  /** Any frame received that is neither a valid Error nor a Heartbeat (should be none). */
  readonly other: readonly string[];
}

export interface FuzzContext {
  /** The current run's id and one of an earlier run. */
  readonly runId: string;
  readonly oldRunId: string;
  readonly modelSize: number;
  /** The aggregator's frame limit (frames over it: too-large). */
  readonly maxMessageBytes: number;
  /** Names the real nodes use (a Register with one while it is connected: name-taken). */
  readonly takenNames: readonly string[];
}

const tooLong = (n: number) => "x".repeat(n);

export class FrameFuzzer {
  private readonly rng: Rng;
  private seq = 0;
  private names = 0;

  constructor(
    seed: number,
    private readonly ctx: FuzzContext,
  ) {
    this.rng = new Rng(seed);
  }

  /** The next connection's script. */
  script(): FuzzScript {
    const r = this.rng.next();
    if (r < 0.01) return { kind: "huge", frames: [this.hugeFrame()] };
    if (r < 0.3) {
      // Never registers: any frame is refused (garbage, or a message before Register).
      const frames: FuzzFrame[] = [];
      const n = 1 + this.rng.int(3);
      for (let i = 0; i < n; i++) frames.push(this.badFrame());
      // A mutation may have made a valid Register: end with a frame refused in any state.
      frames.push(this.alwaysRefused());
      return { kind: "anonymous", frames };
    }
    // Registers under a fresh name, sends frames the aggregator must drop or ignore (stale,
    // out-of-order, unexpected from a node outside the run), some mutated ones, then one that
    // is refused in any state.
    const frames: FuzzFrame[] = [this.frame(this.register(`fz-${++this.names}`))];
    const n = this.rng.int(25);
    for (let i = 0; i < n; i++) {
      frames.push(this.rng.next() < 0.9 ? this.toleratedFrame() : this.mutatedFrame());
    }
    frames.push(this.alwaysRefused());
    return { kind: "registered", frames };
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.rng.int(items.length)];
  }

  private frame(m: ProtocolMessage): Uint8Array {
    return encodeFrame(m, { seq: ++this.seq });
  }

  private vector(n = this.ctx.modelSize): Float64Array {
    return Float64Array.from({ length: n }, () => this.rng.normal());
  }

  private register(name: string): ProtocolMessage {
    return {
      type: "register",
      id: name,
      token: "",
      capabilities: { float32Vectors: this.rng.next() < 0.5, sharePreview: false },
      software: "fuzzer",
    };
  }

  private roundResult(runId: string, round: number, size = this.ctx.modelSize): ProtocolMessage {
    return {
      type: "round-result",
      runId,
      report: {
        round,
        weights: this.vector(size),
        tauDone: 1 + this.rng.int(5),
        localSeconds: this.rng.next(),
        dataSize: 1 + this.rng.int(100),
        lossAtGlobal: this.rng.next(),
        gradAtGlobal: this.vector(size),
        ...(this.rng.next() < 0.5 ? { beta: this.rng.next(), rho: this.rng.next() } : {}),
      },
    };
  }

  /** Valid messages a registered node outside the run may send: dropped or ignored. */
  private toleratedFrame(): Uint8Array {
    const { runId, oldRunId } = this.ctx;
    switch (this.rng.int(6)) {
      case 0:
        return this.frame({ type: "heartbeat", sentAtMs: Date.now() });
      case 1: // a result of an earlier run
        return this.frame(this.roundResult(oldRunId, 1 + this.rng.int(50)));
      case 2: // a result of this run for a round it was never asked
        return this.frame(this.roundResult(runId, 1 + this.rng.int(1000)));
      case 3: // a Ready nobody asked for
        return this.frame({
          type: "ready",
          runId: this.pick([runId, oldRunId]),
          dataSize: 3,
          labelHistogram: [1, 2],
        });
      case 4: // the node's own Error
        return this.frame({
          type: "error",
          runId: this.pick([runId, oldRunId]),
          code: "internal",
          message: "the fuzzer failed on purpose",
        });
      default: // a result of another model size, for a round it was never asked
        return this.frame(this.roundResult(runId, 1 + this.rng.int(1000), 1 + this.rng.int(40)));
    }
  }

  /** A frame refused in any state: text, not protobuf, wrong version, an aggregator's message, too large. */
  private alwaysRefused(): FuzzFrame {
    switch (this.rng.int(5)) {
      case 0:
        return this.pick(["hello", '{"type":"register","nodeName":"n1"}', "", "\u0000\u0001"]);
      case 1:
        return this.garbage();
      case 2:
        return this.withEnvelope(this.frame({ type: "heartbeat", sentAtMs: 1 }), (e) => {
          e.protocolVersion = this.pick([0, 2, 7, 0xffffffff]);
        });
      case 3:
        return this.frame({
          type: "setup",
          runId: this.ctx.runId,
          model: { kind: "svm" },
          modelSize: this.ctx.modelSize,
          eta: 0.1,
          batchSize: "full",
          data: {
            dataset: "mnist",
            task: "even-odd",
            partition: { kind: "case", case: 1 },
            nodeIndex: 0,
            nodeCount: 1,
          },
          adaptiveTau: false,
          control: "fedtau",
          seed: 1,
          vectorEncoding: "float64",
        });
      default:
        return this.oversized();
    }
  }

  /** Any frame a connection that has not registered may not send. */
  private badFrame(): FuzzFrame {
    switch (this.rng.int(8)) {
      case 0:
        return this.garbage();
      case 1:
        return this.mutatedFrame();
      case 2:
        return this.wrongField();
      case 3: // out of order: a result, a Ready, a heartbeat before Register
        return this.frame(
          this.pick([
            this.roundResult(this.ctx.runId, 1),
            { type: "heartbeat", sentAtMs: 1 } as ProtocolMessage,
            { type: "ready", runId: this.ctx.runId, dataSize: 1, labelHistogram: [1] },
          ]),
        );
      case 4: // a name another node has
        return this.frame(this.register(this.pick(this.ctx.takenNames)));
      case 5:
        return this.hugeLength();
      case 6:
        return this.pick(["text", "\u00ff".repeat(1 + this.rng.int(40))]);
      default:
        return this.alwaysRefused();
    }
  }

  private garbage(): Uint8Array {
    // Field 1 with wire type 7 (invalid) first: never a protobuf message.
    const bytes = new Uint8Array(1 + this.rng.int(300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.rng.int(256);
    bytes[0] = 0x0f;
    return bytes;
  }

  /** A length-delimited field that claims up to 2^31 bytes. */
  private hugeLength(): Uint8Array {
    const tag = this.pick([0x12, 0x22, 0x2a, 0x52]); // runId, register, setup, roundResult...
    const len = this.pick([
      [0xff, 0xff, 0xff, 0xff, 0x07],
      [0x80, 0x80, 0x80, 0x80, 0x08],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    ]);
    return Uint8Array.from([0x08, 0x01, tag, ...len, 1, 2, 3]);
  }

  private mutatedFrame(): Uint8Array {
    const base = this.frame(
      this.pick([
        this.register("fz-m"),
        this.roundResult(this.ctx.runId, 1 + this.rng.int(3)),
        { type: "heartbeat", sentAtMs: 5 } as ProtocolMessage,
        { type: "ready", runId: this.ctx.runId, dataSize: 4, labelHistogram: [4] },
      ]),
    );
    switch (this.rng.int(4)) {
      case 0:
        return base.subarray(0, this.rng.int(base.length));
      case 1: {
        const f = base.slice();
        const flips = 1 + this.rng.int(4);
        for (let i = 0; i < flips; i++) f[this.rng.int(f.length)] = this.rng.int(256);
        return f;
      }
      case 2: {
        const extra = new Uint8Array(1 + this.rng.int(30));
        for (let i = 0; i < extra.length; i++) extra[i] = this.rng.int(256);
        const f = new Uint8Array(base.length + extra.length);
        f.set(base);
        f.set(extra, base.length);
        return f;
      }
      default: {
        const cut = this.rng.int(base.length);
        const f = new Uint8Array(base.length + 7);
        f.set(base.subarray(0, cut));
        f.set([0x52, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00], cut);
        return f;
      }
    }
  }

  /** A decodable Envelope whose message breaks a rule protobuf cannot state. */
  private wrongField(): Uint8Array {
    const { runId, modelSize } = this.ctx;
    switch (this.rng.int(7)) {
      case 0:
        return this.frame({
          ...(this.register("") as Extract<ProtocolMessage, { type: "register" }>),
          id: this.pick(["", "bad name", tooLong(65), "n\u00e9", "a/b"]),
        });
      case 1:
        return this.withEnvelope(this.frame(this.register("fz-t")), (e) => {
          if (e.body.case === "register") {
            if (this.rng.next() < 0.5) e.body.value.token = tooLong(300);
            else e.body.value.software = tooLong(200);
          }
        });
      case 2:
        return this.withEnvelope(this.frame(this.roundResult(runId, 1)), (e) => {
          if (e.body.case !== "roundResult") return;
          const v = e.body.value;
          switch (this.rng.int(5)) {
            case 0:
              v.localSeconds = Number.NaN;
              break;
            case 1:
              v.tauDone = 0;
              break;
            case 2:
              if (v.weights) v.weights.data = v.weights.data.subarray(0, 7);
              break;
            case 3:
              v.gradAtGlobal = undefined;
              break;
            default:
              v.beta = -1;
          }
        });
      case 3:
        return this.withEnvelope(
          this.frame({ type: "ready", runId, dataSize: 7, labelHistogram: [1, 2] }),
          (e) => {
            if (e.body.case === "ready" && this.rng.next() < 0.5) e.body.value.dataSize = 0;
          },
        );
      case 4:
        return this.withEnvelope(this.frame({ type: "heartbeat", sentAtMs: 1 }), (e) => {
          if (e.body.case === "heartbeat") {
            e.body.value.sentAtMs = this.pick([Number.NaN, Number.POSITIVE_INFINITY]);
          }
        });
      case 5:
        return this.withEnvelope(
          this.frame({ type: "error", code: "internal", message: "x" }),
          (e) => {
            if (e.body.case !== "error") return;
            if (this.rng.next() < 0.5) e.body.value.code = this.pick([0, 999]) as ErrorCode;
            else e.body.value.message = "";
          },
        );
      default:
        // No body at all, or a run id over its limit.
        return this.withEnvelope(this.frame(this.roundResult(runId, modelSize)), (e) => {
          if (this.rng.next() < 0.5) e.body = { case: undefined };
          else e.runId = tooLong(200);
        });
    }
  }

  private withEnvelope(
    frame: Uint8Array,
    change: (e: ReturnType<typeof fromBinary<typeof EnvelopeSchema>>) => void,
  ): Uint8Array {
    const e = fromBinary(EnvelopeSchema, frame);
    change(e);
    return toBinary(EnvelopeSchema, create(EnvelopeSchema, e));
  }

  /** Over the aggregator's frame limit, under what the WebSocket layer refuses itself. */
  private oversized(): Uint8Array {
    const f = new Uint8Array(this.ctx.maxMessageBytes + 1 + this.rng.int(this.ctx.maxMessageBytes));
    f.set(this.frame({ type: "heartbeat", sentAtMs: 1 }));
    return f;
  }

  /** Over what the WebSocket layer accepts at all (2 x limit + 64 KiB): ws closes with 1009. */
  private hugeFrame(): Uint8Array {
    return new Uint8Array(2 * this.ctx.maxMessageBytes + 65_536 + 1 + this.rng.int(1000));
  }
}

/**
 * Opens one connection, sends the script's frames, and collects the Error frames until the
 * aggregator closes it (or `waitMs` after the last frame).
 */
export function runScript(url: string, script: FuzzScript, waitMs: number): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const codes: string[] = [];
    const other: string[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const done = (closeCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ kind: script.kind, sent: script.frames.length, codes, closeCode, other });
    };
    ws.on("open", () => {
      for (const f of script.frames) {
        if (ws.readyState !== WebSocket.OPEN) break;
        ws.send(f, { binary: typeof f !== "string" });
      }
      timer = setTimeout(() => {
        done(null);
        ws.terminate();
      }, waitMs);
    });
    ws.on("message", (data, isBinary) => {
      if (!isBinary) {
        other.push(`text: ${String(data).slice(0, 80)}`);
        return;
      }
      const got = decodeFrame(new Uint8Array(data as Buffer));
      if (got.ok && got.message.type === "error") codes.push(got.message.code);
      else if (got.ok && got.message.type === "heartbeat") return;
      else other.push(got.ok ? got.message.type : `undecodable: ${got.error.message}`);
    });
    ws.on("close", (code) => done(code));
    ws.on("error", () => {
      // A reset after the aggregator refused: the close event follows.
    });
  });
}
