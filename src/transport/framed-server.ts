import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { FramedConnection, type FramedConnectionOptions } from "./framed-connection.js";
import type { ServerTls } from "./tls-files.js";
import { listenTls } from "./tls-listener.js";
import { WS_COMMON_OPTIONS, wsMaxPayload } from "./ws-options.js";

export interface FramedServerOptions extends Omit<FramedConnectionOptions, "role" | "peer"> {
  /** Address to listen on; default 127.0.0.1. Ignored with `server`. */
  readonly host?: string;
  /** Port; default 0 (any free port). Ignored with `server`. */
  readonly port?: number;
  /** Attach to this HTTP server (e.g. the dashboard's) instead of listening on a port. */
  readonly server?: HttpServer;
  /** With `server`: only upgrades on this path. */
  readonly path?: string;
  /** Serve wss:// (an HTTPS server of its own) with this certificate and key. Ignored with `server`. */
  readonly tls?: ServerTls;
}

/** A newly accepted connection: `remote` is "ADDRESS:PORT", also its peer name until renamed. */
export interface AcceptedConnection {
  readonly connection: FramedConnection;
  readonly remote: string;
}

/**
 * Accepts framed connections (one protobuf Envelope per binary WebSocket message), each with TCP
 * no-delay set, handing each to `onConnection` as a FramedConnection.
 */
export class FramedServer {
  /** The connections still open. */
  readonly connections = new Set<FramedConnection>();
  private readonly wss: WebSocketServer;
  /** With `tls`: the HTTPS server it made, closed with it. */
  private secure: HttpsServer | undefined;

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
  }

  static listen(
    options: FramedServerOptions,
    onConnection: (accepted: AcceptedConnection) => void,
  ): Promise<FramedServer> {
    if (options.server === undefined && options.tls !== undefined) {
      const { tls, ...plain } = options;
      return listenTls(options.host ?? "127.0.0.1", options.port ?? 0, tls).then(async (https) => {
        const server = await FramedServer.listen({ ...plain, server: https }, onConnection);
        server.secure = https;
        return server;
      });
    }
    return new Promise((resolve, reject) => {
      const common = { ...WS_COMMON_OPTIONS, maxPayload: wsMaxPayload(options.maxMessageBytes) };
      const wss =
        options.server === undefined
          ? new WebSocketServer({
              ...common,
              host: options.host ?? "127.0.0.1",
              port: options.port ?? 0,
            })
          : new WebSocketServer({
              ...common,
              server: options.server,
              ...(options.path ? { path: options.path } : {}),
            });
      const server = new FramedServer(wss);
      wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
        const accepted = acceptFramed(ws, req, options);
        server.connections.add(accepted.connection);
        accepted.connection.onClose(() => server.connections.delete(accepted.connection));
        onConnection(accepted);
      });
      if (options.server !== undefined) {
        resolve(server);
        return;
      }
      wss.once("error", (error) =>
        reject(
          new Error(
            `Cannot listen on ${options.host ?? "127.0.0.1"}:${options.port ?? 0}: ${error.message}`,
          ),
        ),
      );
      wss.once("listening", () => resolve(server));
    });
  }

  /** Where it listens (with `server`: that server's address). */
  get address(): { readonly host: string; readonly port: number } {
    const a = this.wss.address();
    if (a === null || typeof a === "string") return { host: String(a), port: 0 };
    return { host: a.address, port: a.port };
  }

  /** ws://HOST:PORT (wss:// with TLS), for nodes to dial. */
  get url(): string {
    const { host, port } = this.address;
    const scheme = this.secure === undefined ? "ws" : "wss";
    return `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  /** Stops accepting and closes every connection at once. */
  async close(): Promise<void> {
    for (const c of this.connections) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const https = this.secure;
    if (https !== undefined) {
      await new Promise<void>((resolve) => {
        https.close(() => resolve());
        https.closeAllConnections();
      });
    }
  }
}

/**
 * Wraps a WebSocket accepted by a WebSocketServer of one's own (made with WS_COMMON_OPTIONS and
 * wsMaxPayload): sets TCP no-delay and returns the framed connection.
 */
export function acceptFramed(
  ws: WebSocket,
  req: IncomingMessage,
  options: Omit<FramedConnectionOptions, "role" | "peer"> = {},
): AcceptedConnection {
  const socket = req.socket as Socket;
  socket.setNoDelay(true);
  const remote = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? 0}`;
  const connection = new FramedConnection(ws, { ...options, peer: remote, role: "server" });
  return { connection, remote };
}
