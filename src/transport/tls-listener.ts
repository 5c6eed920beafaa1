import { createServer, type Server as HttpsServer } from "node:https";
import type { ServerTls } from "./tls-files.js";

/**
 * An HTTPS server listening on host:port with the given certificate and key (TLS 1.2 at least),
 * for a WebSocketServer to attach to (wss://). Rejects with a sentence when the certificate and
 * key do not go together or the port cannot be bound.
 */
export function listenTls(host: string, port: number, tls: ServerTls): Promise<HttpsServer> {
  return new Promise((resolve, reject) => {
    let server: HttpsServer;
    try {
      server = createServer({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" });
    } catch (error) {
      reject(new Error(`Cannot use the TLS certificate and key: ${(error as Error).message}`));
      return;
    }
    // A plain HTTP request to the WebSocket endpoint gets 426, like ws's own server.
    server.on("request", (_req, res) => {
      res.writeHead(426, { "Content-Type": "text/plain" });
      res.end("Upgrade Required: this is a fedtau aggregator (wss://)\n");
    });
    server.once("error", (error) =>
      reject(new Error(`Cannot listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen(port, host, () => resolve(server));
  });
}
