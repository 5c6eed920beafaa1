import type { IncomingMessage } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import type { ProtocolMessage } from "../../protocol/index.js";
import {
  acceptFramed,
  type ConnectionClosed,
  type FramedConnection,
  type Received,
  WS_COMMON_OPTIONS,
  wsMaxPayload,
} from "../../transport/index.js";

/** One connection a node opened to the fake aggregator: read its frames one by one, answer, misbehave. */
export class FakePeer {
  private readonly inbox: Received[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly closed: Promise<ConnectionClosed>;

  constructor(
    readonly conn: FramedConnection,
    /** The raw WebSocket, to send what a framed connection would not. */
    readonly raw: WebSocket,
  ) {
    conn.onMessage((r) => {
      this.inbox.push(r);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => conn.onClose(resolve));
  }

  /** The next frame received (a message or a refusal). */
  async nextReceived(): Promise<Received> {
    while (this.inbox.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    return this.inbox.shift()!;
  }

  /** The next message received; fails the test on a refused frame. */
  async next<T extends ProtocolMessage["type"]>(
    type?: T,
  ): Promise<Extract<ProtocolMessage, { type: T }>> {
    const r = await this.nextReceived();
    if (!r.ok) throw new Error(`expected a message, got ${r.error.code}: ${r.error.message}`);
    if (type !== undefined && r.message.type !== type) {
      throw new Error(`expected ${type}, got ${r.message.type}: ${JSON.stringify(r.message)}`);
    }
    return r.message as Extract<ProtocolMessage, { type: T }>;
  }

  /** Frames received and not read yet. */
  get pending(): number {
    return this.inbox.length;
  }

  send(message: ProtocolMessage): void {
    this.conn.send(message);
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.raw.send(bytes);
  }
}

/** An aggregator played by the test: accepts connections and hands each over as a FakePeer. */
export class FakeAggregator {
  private readonly peers: FakePeer[] = [];
  private readonly waiters: (() => void)[] = [];
  private taken = 0;

  private constructor(private readonly wss: WebSocketServer) {
    wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
      const { connection } = acceptFramed(ws, req);
      this.peers.push(new FakePeer(connection, ws));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async start(): Promise<FakeAggregator> {
    const wss = new WebSocketServer({
      ...WS_COMMON_OPTIONS,
      maxPayload: wsMaxPayload(),
      host: "127.0.0.1",
      port: 0,
    });
    await new Promise((resolve) => wss.once("listening", resolve));
    return new FakeAggregator(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as { port: number }).port}`;
  }

  /** The next connection a node opens. */
  async nextPeer(): Promise<FakePeer> {
    while (this.peers.length <= this.taken) await new Promise<void>((r) => this.waiters.push(r));
    return this.peers[this.taken++];
  }

  close(): Promise<void> {
    for (const p of this.peers) p.conn.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
