import { type ChildProcess, spawn } from "node:child_process";
import { createConnection, type Socket } from "node:net";
import { median } from "./time-runs.js";

/**
 * An echo peer in a child process: for every `request` bytes it reads it busy-waits `workMs`
 * (standing in for a node's local updates) and writes `reply` bytes, on a raw TCP socket with
 * no-delay. Prints its port on the first line.
 */
const ECHO_PEER = `
const net = require("node:net");
const request = Number(process.argv[1]);
const reply = Buffer.alloc(Number(process.argv[2]), 7);
const workMs = Number(process.argv[3]);
net.createServer((s) => {
  s.setNoDelay(true);
  let got = 0;
  s.on("data", (d) => {
    got += d.length;
    while (got >= request) {
      got -= request;
      const t = performance.now();
      while (performance.now() - t < workMs);
      s.write(reply);
    }
  });
  s.on("error", () => {});
}).listen(0, "127.0.0.1", function () { process.stdout.write(this.address().port + "\\n"); });
`;

export interface TcpPingOptions {
  /** Peers, each its own process (as the nodes are). */
  readonly peers: number;
  /** Bytes sent to each peer per ping, and bytes each answers. */
  readonly requestBytes: number;
  readonly replyBytes: number;
  readonly pings: number;
  /** Busy work per reply, ms (a node's local time); default 0. */
  readonly workMs?: number;
  /** Untimed pings first. */
  readonly warmup?: number;
}

/**
 * The floor of a round's communication on this machine: `peers` processes on 127.0.0.1, each
 * sent `requestBytes` in one write and answering `replyBytes`, over raw TCP with no-delay, no
 * WebSocket, no protobuf, no training. Returns the median milliseconds from the first write to
 * the last byte of the last reply.
 */
export async function tcpPingMs(o: TcpPingOptions): Promise<number> {
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < o.peers; i++) {
      const child = spawn(
        process.execPath,
        ["-e", ECHO_PEER, String(o.requestBytes), String(o.replyBytes), String(o.workMs ?? 0)],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      children.push(child);
      const port = await firstLine(child);
      sockets.push(await connect(Number(port)));
    }
    const request = Buffer.alloc(o.requestBytes, 3);
    const once = (): Promise<number> =>
      new Promise((resolve) => {
        let waiting = sockets.length;
        const t0 = performance.now();
        for (const s of sockets) {
          let got = 0;
          const onData = (d: Buffer) => {
            got += d.length;
            if (got >= o.replyBytes) {
              s.off("data", onData);
              if (--waiting === 0) resolve(performance.now() - t0);
            }
          };
          s.on("data", onData);
          s.write(request);
        }
      });
    for (let i = 0; i < (o.warmup ?? 20); i++) await once();
    const ms: number[] = [];
    for (let i = 0; i < o.pings; i++) ms.push(await once());
    return median(ms);
  } finally {
    for (const s of sockets) s.destroy();
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) c.kill();
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      text += d;
      const nl = text.indexOf("\n");
      if (nl >= 0) resolve(text.slice(0, nl).trim());
    });
    child.once("exit", (code) =>
      reject(new Error(`The echo peer exited (${code}) before listening`)),
    );
  });
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: "127.0.0.1", port, noDelay: true }, () => resolve(s));
    s.once("error", reject);
  });
}
