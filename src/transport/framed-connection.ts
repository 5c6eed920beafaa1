import type { WebSocket } from "ws";
import {
  cannotAccept,
  DEFAULT_MAX_MESSAGE_BYTES,
  decodeFrame,
  encodeFrame,
  errorReply,
  type ProtocolError,
  type ProtocolMessage,
  protocolError,
  type RunId,
  rateLimited,
  type SharedFrame,
  sharedFrameBytes,
  type VectorEncodingName,
} from "../protocol/index.js";
import { ByteMeter } from "./byte-meter.js";
import { CloseCode, closeCodeFor } from "./close-codes.js";
import { DelayQueue, type DelayTimers, realTimers } from "./delay-queue.js";
import type { ConnectionClosed, Expectations, Received, SentFrame } from "./received.js";
import { TokenBucket } from "./token-bucket.js";
import { wsFrameBytes } from "./ws-frame-size.js";

export interface FramedConnectionOptions {
  /** Who is at the other end, for error sentences and logs: "aggregator", a node's name, an address. */
  readonly peer: string;
  /** "client": this side dialled (its frames are masked); "server": it accepted. */
  readonly role: "client" | "server";
  /** Largest frame accepted (too-large otherwise); default DEFAULT_MAX_MESSAGE_BYTES. */
  readonly maxMessageBytes?: number;
  /** Added delay in ms for every message, both directions; default 0. */
  readonly delayMs?: number;
  /** The vector encoding of frames sent; default float64. */
  readonly vectorEncoding?: VectorEncodingName;
  /** Timers of the delay (fake ones in tests). */
  readonly timers?: DelayTimers;
  /**
   * Most frames accepted per second (token bucket, bursts of one second's worth), counted when
   * read off the socket; over it, a rate-limited ProtocolError is handed over and every later
   * frame is dropped (the owner refuses: Error, close 1008). Default: no limit.
   */
  readonly maxMessagesPerSecond?: number;
}

type Inbound =
  | {
      readonly kind: "frame";
      readonly data: Uint8Array;
      readonly binary: boolean;
      readonly bytes: number;
    }
  | { readonly kind: "fault"; readonly error: ProtocolError }
  | { readonly kind: "closed"; readonly closed: ConnectionClosed };

interface Outbound {
  readonly message: ProtocolMessage;
  readonly frame: Uint8Array;
  readonly sent: SentFrame;
}

type Listener<T> = (value: T) => void;

/**
 * One WebSocket connection carrying fedtau frames: one protobuf Envelope per binary WebSocket
 * message, each written in a single write (ws corks header and payload into one writev; the
 * socket has TCP no-delay set by the helpers that open it). Every frame is counted (bytes on the
 * wire, headers included), held for the added delay in both directions (FIFO, even while the
 * delay changes), and every received frame is decoded and validated once, with decodeFrame and
 * what the owner expects now (run id, model size, round), when it is handed over.
 *
 * The owner gets `Received` values (a message or a ProtocolError) through `onMessage`, in order,
 * then one `onClose`. Nothing is lost before the owner subscribes: frames wait for the first
 * message listener.
 */
export class FramedConnection {
  /** Frames and bytes sent and received, counted when they are written and read. */
  readonly meter = new ByteMeter();
  /** Largest frame accepted. */
  readonly maxMessageBytes: number;
  /** The other side, for sentences and logs; set it to the node's name once it has registered. */
  peer: string;
  /** What the owner expects of the next frames (checked when each frame is handed over). */
  expectations: Expectations = {};
  /** The vector encoding of the frames this side sends. */
  vectorEncoding: VectorEncodingName;

  private readonly socket: WebSocket;
  private readonly role: "client" | "server";
  private readonly inbound: DelayQueue<Inbound>;
  private readonly outbound: DelayQueue<Outbound>;
  private readonly messageListeners: Listener<Received>[] = [];
  private readonly sentListeners: Listener<{ message: ProtocolMessage; frame: SentFrame }>[] = [];
  private readonly closeListeners: Listener<ConnectionClosed>[] = [];
  private readonly rate: TokenBucket | undefined;
  /** Over the rate: frames read from now on are dropped. */
  private throttled = false;
  /** Items handed over before anyone listened. */
  private held: Inbound[] | undefined = [];
  private seq = 0;
  /** close() was asked for: no more frames are handed over; the socket closes once sends drain. */
  private closing: { code: number; reason: string } | undefined;
  private closedBy: "us" | undefined;
  private closed: ConnectionClosed | undefined;
  /** The close, once handed over to the owner (after every frame received before it). */
  private reported: ConnectionClosed | undefined;

  constructor(socket: WebSocket, options: FramedConnectionOptions) {
    this.socket = socket;
    this.peer = options.peer;
    this.role = options.role;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.vectorEncoding = options.vectorEncoding ?? "float64";
    const perSecond = options.maxMessagesPerSecond;
    this.rate = perSecond === undefined || perSecond <= 0 ? undefined : new TokenBucket(perSecond);
    const timers = options.timers ?? realTimers;
    const delay = options.delayMs ?? 0;
    this.inbound = new DelayQueue((item) => this.handOver(item), delay, timers);
    this.outbound = new DelayQueue((item) => this.write(item), delay, timers);
    socket.binaryType = "nodebuffer";
    socket.on("message", (data, isBinary) => this.read(data, isBinary));
    socket.on("error", (error) => this.fault(error));
    socket.on("close", (code, reason) => this.onSocketClose(code, reason.toString()));
  }

  /** The added delay in ms, both directions; changing it reschedules frames still waiting. */
  get delayMs(): number {
    return this.outbound.delayMs;
  }

  set delayMs(ms: number) {
    this.outbound.delayMs = ms;
    this.inbound.delayMs = ms;
  }

  /** True until the connection closes or close() is asked for. */
  get isOpen(): boolean {
    return this.closed === undefined && this.closing === undefined;
  }

  /** Frames waiting for the delay: to be sent, to be handed over. */
  get waiting(): { readonly outbound: number; readonly inbound: number } {
    return { outbound: this.outbound.size, inbound: this.inbound.size };
  }

  /** Every received frame, decoded, in order. Returns a function that unsubscribes. */
  onMessage(listener: Listener<Received>): () => void {
    this.messageListeners.push(listener);
    const held = this.held;
    this.held = undefined;
    for (const item of held ?? []) this.handOver(item);
    return () => remove(this.messageListeners, listener);
  }

  /** Every frame when it is actually written (after the delay): for the protocol log. */
  onSent(listener: Listener<{ message: ProtocolMessage; frame: SentFrame }>): () => void {
    this.sentListeners.push(listener);
    return () => remove(this.sentListeners, listener);
  }

  /**
   * Once, when the connection has closed, after every frame received before it has been handed
   * over (frames wait for the first onMessage listener, and so does the close).
   */
  onClose(listener: Listener<ConnectionClosed>): () => void {
    if (this.reported !== undefined) {
      listener(this.reported);
      return () => {};
    }
    this.closeListeners.push(listener);
    return () => remove(this.closeListeners, listener);
  }

  /**
   * Sends one message as one frame, after the delay. Returns its seq and size on the wire; a
   * frame whose connection closes before it is written is dropped.
   */
  send(message: ProtocolMessage): SentFrame {
    const seq = ++this.seq;
    const frame = encodeFrame(message, { seq, vectorEncoding: this.vectorEncoding });
    return this.enqueue(message, seq, frame);
  }

  /**
   * Sends a message encoded once for several connections (encodeSharedFrame: a round's
   * RoundStart to every node), adding only this connection's seq: the same frame, byte for
   * byte, as send(shared.message).
   */
  sendShared(shared: SharedFrame): SentFrame {
    if (shared.vectorEncoding !== this.vectorEncoding) return this.send(shared.message);
    const seq = ++this.seq;
    return this.enqueue(shared.message, seq, sharedFrameBytes(shared, seq));
  }

  private enqueue(message: ProtocolMessage, seq: number, frame: Uint8Array): SentFrame {
    const sent = { seq, bytes: wsFrameBytes(frame.byteLength, this.role === "client") };
    if (this.closed === undefined) this.outbound.push({ message, frame, sent });
    return sent;
  }

  /**
   * Refuses a frame: sends the Error that tells the peer (pointing at the frame's seq) and closes
   * the connection once it is written.
   */
  refuse(
    error: ProtocolError,
    answering: { readonly seq?: number; readonly runId?: RunId } = {},
  ): void {
    if (this.closed !== undefined || this.closing !== undefined) return;
    this.send(errorReply(error, answering));
    this.close(closeCodeFor(error.code), error.code);
  }

  /** Closes after the frames already sent are written; nothing more is handed over. */
  close(code: number = CloseCode.Normal, reason = ""): void {
    if (this.closed !== undefined || this.closing !== undefined) return;
    this.closing = { code, reason: reason.slice(0, 120) };
    this.closedBy = "us";
    this.inbound.clear();
    if (this.outbound.size === 0) this.closeSocket();
  }

  /** Closes at once, dropping frames not yet written. */
  terminate(): void {
    if (this.closed !== undefined) return;
    this.closedBy = "us";
    this.closing ??= { code: CloseCode.GoingAway, reason: "" };
    this.outbound.clear();
    this.inbound.clear();
    this.socket.terminate();
  }

  private read(data: unknown, binary: boolean): void {
    if (this.closing !== undefined || this.closed !== undefined || this.throttled) return;
    const bytes = toBytes(data);
    const wire = wsFrameBytes(bytes.byteLength, this.role === "server");
    this.meter.countReceived(wire);
    if (this.rate !== undefined && !this.rate.take()) {
      this.throttled = true;
      const error = rateLimited(this.peer, this.rate.ratePerSecond);
      this.inbound.push({ kind: "fault", error });
      return;
    }
    this.inbound.push({ kind: "frame", data: bytes, binary, bytes: wire });
  }

  /** ws reports frames it cannot read (too large, bad opcode...) as errors, then closes. */
  private fault(error: Error & { code?: string }): void {
    if (this.closing !== undefined || this.closed !== undefined) return;
    if (error.code === undefined || !error.code.startsWith("WS_ERR_")) return; // socket errors: close follows
    const tooLarge = error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
    this.inbound.push({
      kind: "fault",
      error: protocolError(
        tooLarge ? "too-large" : "bad-frame",
        cannotAccept(
          "frame",
          this.peer,
          tooLarge
            ? `more than the limit of ${this.maxMessageBytes} bytes`
            : "not a valid WebSocket frame",
        ),
        { detail: error.message },
      ),
    });
  }

  private onSocketClose(code: number, reason: string): void {
    if (this.closed !== undefined) return;
    this.outbound.clear();
    const closed = { code, reason, byUs: this.closedBy === "us" };
    this.closed = closed;
    this.inbound.push({ kind: "closed", closed });
  }

  private write(item: Outbound): void {
    if (this.closed !== undefined || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(item.frame, { binary: true, compress: false, fin: true });
    this.meter.countSent(item.sent.bytes);
    for (const l of [...this.sentListeners]) l({ message: item.message, frame: item.sent });
    if (this.closing !== undefined && this.outbound.size === 0) this.closeSocket();
  }

  private closeSocket(): void {
    const { code, reason } = this.closing!;
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }

  private handOver(item: Inbound): void {
    if (this.held !== undefined) {
      this.held.push(item);
      return;
    }
    if (item.kind === "closed") {
      this.reported = item.closed;
      const listeners = [...this.closeListeners];
      this.closeListeners.length = 0;
      for (const l of listeners) l(item.closed);
      return;
    }
    if (this.closing !== undefined) return;
    const received: Received =
      item.kind === "fault" ? { ok: false, error: item.error, bytes: 0 } : this.decode(item);
    for (const l of [...this.messageListeners]) l(received);
  }

  private decode(item: {
    readonly data: Uint8Array;
    readonly binary: boolean;
    readonly bytes: number;
  }): Received {
    if (!item.binary) {
      return {
        ok: false,
        error: protocolError(
          "bad-frame",
          cannotAccept("frame", this.peer, "a text frame, expected a binary one"),
        ),
        bytes: item.bytes,
      };
    }
    const decoded = decodeFrame(item.data, {
      ...this.expectations,
      from: this.peer,
      maxMessageBytes: this.maxMessageBytes,
    });
    return { ...decoded, bytes: item.bytes };
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  return new Uint8Array(0);
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
