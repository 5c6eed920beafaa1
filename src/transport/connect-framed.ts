import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { WebSocket } from "ws";
import { FramedConnection, type FramedConnectionOptions } from "./framed-connection.js";
import { WS_COMMON_OPTIONS, wsMaxPayload } from "./ws-options.js";

export interface ConnectOptions extends Omit<FramedConnectionOptions, "role" | "peer"> {
  /** The other side's name for sentences and logs; default "aggregator". */
  readonly peer?: string;
  /** Give up opening after this many ms; default 10,000. */
  readonly handshakeTimeoutMs?: number;
  /**
   * wss:// only: the certificate authority (PEM) to trust for the aggregator's certificate,
   * instead of the system's (a self-signed CA: `--ca`). Without it the system's are used.
   */
  readonly ca?: string;
}

/**
 * Opens a framed connection to `url` (ws://HOST:PORT): resolves once the WebSocket is open, with
 * TCP no-delay set; rejects with an Error saying why it could not connect.
 */
export function connectFramed(
  url: string,
  options: ConnectOptions = {},
): Promise<FramedConnection> {
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        ...WS_COMMON_OPTIONS,
        maxPayload: wsMaxPayload(options.maxMessageBytes),
        handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      });
    } catch (error) {
      reject(new Error(`Cannot connect to ${url}: ${reason(error)}`));
      return;
    }
    ws.on("upgrade", (res: IncomingMessage) => (res.socket as Socket).setNoDelay(true));
    const failed = (error: Error): void => {
      reject(new Error(`Cannot connect to ${url}: ${reason(error)}`, { cause: error }));
    };
    ws.once("error", failed);
    ws.once("open", () => {
      ws.off("error", failed);
      resolve(
        new FramedConnection(ws, {
          ...options,
          peer: options.peer ?? "aggregator",
          role: "client",
        }),
      );
    });
  });
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error)
    return error.message || (error as { code?: string }).code || "unknown error";
  return String(error);
}
