import type { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import {
  decodeFrame,
  encodeFrame,
  encodeSharedFrame,
  type ProtocolMessage,
} from "../protocol/index.js";
import { sampleMessages } from "../protocol/test-support/sample-messages.js";
import { connectFramed } from "./connect-framed.js";
import type { FramedConnection } from "./framed-connection.js";
import { acceptFramed, FramedServer } from "./framed-server.js";
import type { ConnectionClosed, Received } from "./received.js";
import { wsFrameBytes } from "./ws-frame-size.js";
import { WS_COMMON_OPTIONS, wsMaxPayload } from "./ws-options.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

/** Collects what a connection hands over, and lets a test wait for the n-th item. */
function inbox(conn: FramedConnection) {
  const items: Received[] = [];
  let closed: ConnectionClosed | undefined;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  conn.onMessage((r) => {
    items.push(r);
    wake();
  });
  conn.onClose((c) => {
    closed = c;
    wake();
  });
  const until = (ok: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = () => (ok() ? resolve() : waiters.push(check));
      check();
    });
  return {
    items,
    get closed() {
      return closed;
    },
    count: (n: number) => until(() => items.length >= n),
    close: () => until(() => closed !== undefined),
  };
}

async function pair(options: { maxMessageBytes?: number; delayMs?: number } = {}) {
  let accept!: (c: FramedConnection) => void;
  const accepted = new Promise<FramedConnection>((r) => {
    accept = r;
  });
  const server = await FramedServer.listen(options, ({ connection }) => accept(connection));
  cleanups.push(() => server.close());
  const client = await connectFramed(server.url, options);
  cleanups.push(() => client.terminate());
  return { server, client, remote: await accepted };
}

const m = sampleMessages(784);

describe("FramedConnection over loopback", () => {
  it("carries every message type both ways, in order, with seq 1, 2, 3...", async () => {
    const { client, remote } = await pair();
    const atServer = inbox(remote);
    const atClient = inbox(client);
    const up: ProtocolMessage[] = [m.register, m.ready, m.roundResult, m.heartbeat, m.error];
    const down: ProtocolMessage[] = [m.setup, m.roundStart, m.stop, m.heartbeat, m.error];
    for (const msg of up) client.send(msg);
    for (const msg of down) remote.send(msg);
    await atServer.count(up.length);
    await atClient.count(down.length);
    expect(atServer.items.map((r) => r.ok && r.message.type)).toEqual(up.map((x) => x.type));
    expect(atServer.items.map((r) => r.ok && r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(atClient.items.map((r) => r.ok && r.message)).toEqual(down);
  });

  it("counts the frames and bytes on the wire, the same at both ends", async () => {
    const { client, remote } = await pair();
    const atServer = inbox(remote);
    const sent = [client.send(m.register), client.send(m.roundResult)];
    await atServer.count(2);
    const frame = encodeFrame(m.roundResult, { seq: 2 });
    expect(sent[1]).toEqual({ seq: 2, bytes: wsFrameBytes(frame.byteLength, true) });
    const total = sent[0].bytes + sent[1].bytes;
    expect(client.meter.totals()).toEqual({
      framesSent: 2,
      bytesSent: total,
      framesReceived: 0,
      bytesReceived: 0,
    });
    expect(remote.meter.totals()).toMatchObject({ framesReceived: 2, bytesReceived: total });
    expect(atServer.items.map((r) => r.bytes)).toEqual(sent.map((s) => s.bytes));

    const mark = remote.meter.mark();
    const reply = remote.send(m.roundStart);
    const atClient = inbox(client);
    await atClient.count(1);
    expect(remote.meter.since(mark)).toEqual({
      framesSent: 1,
      bytesSent: reply.bytes,
      framesReceived: 0,
      bytesReceived: 0,
    });
    // Server frames are not masked: 4 bytes fewer than the same payload from a client.
    expect(reply.bytes).toBe(wsFrameBytes(encodeFrame(m.roundStart, { seq: 1 }).byteLength, false));
    expect(client.meter.totals().bytesReceived).toBe(reply.bytes);
  });

  it("writes each message in one write, with TCP no-delay set on both ends", async () => {
    const noDelay = vi.spyOn(Socket.prototype, "setNoDelay");
    const wss = new WebSocketServer({
      ...WS_COMMON_OPTIONS,
      maxPayload: wsMaxPayload(),
      host: "127.0.0.1",
      port: 0,
    });
    cleanups.push(() => new Promise((r) => wss.close(r)));
    await new Promise((r) => wss.once("listening", r));
    const accepted = new Promise<{ conn: FramedConnection; socket: Socket }>((resolve) =>
      wss.on("connection", (ws, req: IncomingMessage) =>
        resolve({ conn: acceptFramed(ws, req).connection, socket: req.socket as Socket }),
      ),
    );
    const port = (wss.address() as { port: number }).port;
    const client = await connectFramed(`ws://127.0.0.1:${port}`);
    cleanups.push(() => client.terminate());
    const { conn, socket } = await accepted;
    expect(
      noDelay.mock.calls.filter((c) => c[0] === true || c[0] === undefined).length,
    ).toBeGreaterThanOrEqual(2);

    // Every write request the socket makes to the OS, whatever the method.
    const handle = (socket as unknown as { _handle: Record<string, (...a: unknown[]) => unknown> })
      ._handle;
    let writes = 0;
    const names = new Set<string>();
    for (
      let o: object | null = handle;
      o !== null && o !== Object.prototype;
      o = Object.getPrototypeOf(o)
    ) {
      for (const name of Object.getOwnPropertyNames(o)) if (/^write/.test(name)) names.add(name);
    }
    expect(names.has("writev")).toBe(true);
    for (const name of names) {
      const original = handle[name];
      if (typeof original !== "function") continue;
      handle[name] = function (this: unknown, ...args: unknown[]) {
        writes++;
        return original.apply(this, args);
      };
    }
    const atClient = inbox(client);
    // Small (7-bit length), medium (16-bit) and large (64-bit) frames, one at a time.
    const messages: ProtocolMessage[] = [
      m.heartbeat,
      m.setup,
      m.roundStart,
      sampleMessages(20_000).roundStart,
    ];
    for (const [i, msg] of messages.entries()) {
      const before = writes;
      conn.send(msg);
      await atClient.count(i + 1);
      expect(writes - before).toBe(1);
    }
  });

  it("holds messages for the delay in both directions and keeps their order while it changes", async () => {
    const { client, remote } = await pair();
    const atServer = inbox(remote);
    const atClient = inbox(client);
    client.delayMs = 60;
    client.send({ type: "heartbeat", sentAtMs: 1 });
    client.send({ type: "heartbeat", sentAtMs: 2 });
    expect(client.waiting.outbound).toBe(2);
    client.delayMs = 0; // both were sent before: they go now, in order
    client.send({ type: "heartbeat", sentAtMs: 3 });
    client.delayMs = 40;
    client.send({ type: "heartbeat", sentAtMs: 4 });
    client.delayMs = 5;
    client.send({ type: "heartbeat", sentAtMs: 5 });
    await atServer.count(5);
    expect(
      atServer.items.map((r) => r.ok && r.message.type === "heartbeat" && r.message.sentAtMs),
    ).toEqual([1, 2, 3, 4, 5]);

    // Incoming: held after they are read, handed over in order.
    client.delayMs = 50;
    remote.send({ type: "heartbeat", sentAtMs: 10 });
    remote.send({ type: "heartbeat", sentAtMs: 11 });
    await new Promise((r) => setTimeout(r, 15));
    expect(client.waiting.inbound).toBe(2);
    expect(atClient.items).toEqual([]);
    client.delayMs = 1;
    await atClient.count(2);
    expect(
      atClient.items.map((r) => r.ok && r.message.type === "heartbeat" && r.message.sentAtMs),
    ).toEqual([10, 11]);
  });

  it("hands over decode errors with codes, and refuse() answers an Error and closes", async () => {
    let accept!: (c: FramedConnection) => void;
    const accepted = new Promise<FramedConnection>((r) => {
      accept = r;
    });
    const server = await FramedServer.listen({}, ({ connection }) => accept(connection));
    cleanups.push(() => server.close());
    // A raw ws client, sending whatever it likes.
    const raw = new WebSocket(server.url);
    const answer = new Promise<{ data: Buffer | undefined; code: number }>((resolve) => {
      let data: Buffer | undefined;
      raw.on("message", (d) => {
        data = d as Buffer;
      });
      raw.on("close", (code) => resolve({ data, code }));
    });
    await new Promise((r) => raw.on("open", r));
    raw.send(Buffer.from("garbage that is not protobuf \xff\xff\xff"), { binary: true });
    raw.send("a text frame");
    raw.send(encodeFrame({ ...m.register, id: "pi kitchen" }, { seq: 3 }));
    const conn = await accepted;
    const got = inbox(conn);
    await got.count(3);
    expect(got.items.map((r) => !r.ok && r.error.code)).toEqual([
      "bad-frame",
      "bad-frame",
      "bad-name",
    ]);
    expect(got.items.map((r) => !r.ok && r.error.message)).toEqual([
      `Cannot accept frame from "${conn.peer}": not a fedtau envelope`,
      `Cannot accept frame from "${conn.peer}": a text frame, expected a binary one`,
      `Cannot accept register from "${conn.peer}": nodeName must be 1 to 64 characters from A-Z a-z 0-9 . _ -, got "pi kitchen"`,
    ]);
    const third = got.items[2];
    expect(!third.ok && third.seq).toBe(3);

    if (!third.ok) conn.refuse(third.error, third);
    expect(conn.isOpen).toBe(false);
    const { data, code } = await answer;
    expect(code).toBe(1002);
    const decoded = decodeFrame(data!);
    expect(decoded.ok && decoded.message).toMatchObject({
      type: "error",
      code: "bad-name",
      refSeq: 3,
    });
    await got.close();
    expect(got.closed).toMatchObject({ code: 1002, byUs: true });
  });

  it("refuses frames over maxMessageBytes, and those ws cuts off, as too-large", async () => {
    const { client, remote } = await pair({ maxMessageBytes: 10_000 });
    const got = inbox(remote);
    const atClient = inbox(client);
    client.send(m.roundStart); // 784 float64 weights: about 6.3 kB, accepted
    client.send(sampleMessages(2000).roundStart); // about 16 kB: over the limit
    await got.count(2);
    expect(got.items[0].ok).toBe(true);
    const big = got.items[1];
    expect(!big.ok && big.error.code).toBe("too-large");
    expect(!big.ok && big.error.message).toMatch(
      /^Cannot accept frame from "127\.0\.0\.1:\d+": \d+ bytes, more than the limit of 10000$/,
    );
    client.send(sampleMessages(20_000).roundStart); // 160 kB: over ws's payload limit
    await got.count(3);
    const cut = got.items[2];
    expect(!cut.ok && cut.error.code).toBe("too-large");
    await atClient.close();
    expect(atClient.closed?.code).toBe(1009);
    await got.close();
  });

  it("refuses messages of another run when it expects a run id, and checks vector lengths", async () => {
    const { client, remote } = await pair();
    const got = inbox(client);
    client.expectations = { runId: "run-2", modelSize: 784 };
    remote.send(m.roundStart); // run-1
    remote.send({ ...m.setup, runId: "run-2" }); // a Setup starts a run: never stale
    remote.send({
      ...m.roundStart,
      runId: "run-2",
      order: { ...m.roundStart.order, weights: new Float64Array(783) },
    });
    await got.count(3);
    expect(got.items.map((r) => (r.ok ? r.message.type : r.error.code))).toEqual([
      "stale-run",
      "setup",
      "wrong-length",
    ]);
    expect(got.items[0].ok || got.items[0].error.message).toBe(
      'Cannot accept round start from "aggregator": run "run-1" is not the current run "run-2"',
    );
  });

  it("writes what was sent before close() and reports the close after the frames before it", async () => {
    const { client, remote } = await pair();
    const got = inbox(client);
    remote.delayMs = 30;
    remote.send(m.setup);
    remote.send(m.stop);
    remote.close();
    expect(remote.isOpen).toBe(false);
    await got.close();
    expect(got.items.map((r) => r.ok && r.message.type)).toEqual(["setup", "stop"]);
    expect(got.closed).toEqual({ code: 1000, reason: "", byUs: false });
    // A late listener still hears of the close.
    const late = await new Promise<ConnectionClosed>((r) => client.onClose(r));
    expect(late.code).toBe(1000);
  });

  it("keeps frames that arrive before anyone listens", async () => {
    const { client, remote } = await pair();
    remote.send(m.setup);
    remote.send(m.heartbeat);
    await new Promise((r) => setTimeout(r, 30));
    const got = inbox(client);
    expect(got.items.map((r) => r.ok && r.message.type)).toEqual(["setup", "heartbeat"]);
  });

  it("says why it cannot connect", async () => {
    const server = await FramedServer.listen({}, () => {});
    const url = server.url;
    await server.close();
    await expect(connectFramed(url)).rejects.toThrow(
      new RegExp(`^Cannot connect to ${url.replace(/\./g, "\\.")}: connect ECONNREFUSED`),
    );
  });
});

describe("encoding once, masking", () => {
  it("sendShared gives each connection the frame send() would, with its own seq", async () => {
    const { client, remote } = await pair();
    const got = inbox(client);
    const shared = encodeSharedFrame(m.roundStart);
    const sent = [remote.sendShared(shared), remote.send(m.heartbeat), remote.sendShared(shared)];
    await got.count(3);
    expect(sent.map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(got.items.map((r) => r.ok && [r.seq, r.message])).toEqual([
      [1, m.roundStart],
      [2, m.heartbeat],
      [3, m.roundStart],
    ]);
    const bytes = wsFrameBytes(encodeFrame(m.roundStart, { seq: 3 }).byteLength, false);
    expect([sent[2].bytes, got.items[2].bytes]).toEqual([bytes, bytes]);

    // Encoded for float64, sent by a float32 connection: encoded again, as send() would.
    remote.vectorEncoding = "float32";
    const again = remote.sendShared(shared);
    await got.count(4);
    const float32 = encodeFrame(m.roundStart, { seq: 4, vectorEncoding: "float32" });
    expect(again.bytes).toBe(wsFrameBytes(float32.byteLength, false));
    const expected = decodeFrame(float32);
    expect(got.items[3].ok && got.items[3].message).toEqual(expected.ok && expected.message);
  });

  /** The client's frames as they reach the server's socket: masking key and payload of each. */
  async function clientFrames() {
    const wss = new WebSocketServer({ ...WS_COMMON_OPTIONS, host: "127.0.0.1", port: 0 });
    cleanups.push(() => new Promise((r) => wss.close(r)));
    await new Promise((r) => wss.once("listening", r));
    let raw = Buffer.alloc(0);
    const accepted = new Promise<FramedConnection>((resolve) =>
      wss.on("connection", (ws, req: IncomingMessage) => {
        req.socket.on("data", (chunk: Buffer) => {
          raw = Buffer.concat([raw, chunk]);
        });
        resolve(acceptFramed(ws, req).connection);
      }),
    );
    const port = (wss.address() as { port: number }).port;
    const client = await connectFramed(`ws://127.0.0.1:${port}`);
    cleanups.push(() => client.terminate());
    const server = inbox(await accepted);
    const frames = () => {
      const out: { masked: boolean; key: number[]; payload: Buffer }[] = [];
      for (let at = 0; at < raw.length; ) {
        const short = raw[at + 1] & 0x7f;
        const [length, header] =
          short === 126
            ? [raw.readUInt16BE(at + 2), 4]
            : short === 127
              ? [Number(raw.readBigUInt64BE(at + 2)), 10]
              : [short, 2];
        const key = [...raw.subarray(at + header, at + header + 4)];
        const start = at + header + 4;
        out.push({
          masked: (raw[at + 1] & 0x80) !== 0,
          key,
          payload: raw.subarray(start, start + length),
        });
        at = start + length;
      }
      return out;
    };
    return { client, server, frames };
  }

  // RFC 6455 section 5.3: a client's masking keys must be unpredictable. A zero key saved about
  // 0.35 ms of CPU per five-node round here, but breaks the rule that protects proxies.
  it("masks a node's frames with random keys, as RFC 6455 requires", async () => {
    const { client, server, frames } = await clientFrames();
    for (let i = 0; i < 3; i++) client.send(m.heartbeat);
    await server.count(3);
    expect(server.items.every((r) => r.ok && r.message.type === "heartbeat")).toBe(true);
    const keys = frames().map((f) => f.key);
    expect(keys).toHaveLength(3);
    expect(keys.some((k) => k.some((b) => b !== 0))).toBe(true);
  });
});
