import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { DashboardApp } from "./dashboard-app.js";

/**
 * Serves the dashboard from an existing HTTP server, e.g. the aggregator's, beside its
 * WebSocket endpoint: it handles every plain request ('request' events); WebSocket upgrades
 * arrive as 'upgrade' events, which it never touches, so `new WebSocketServer({ server })` (ws)
 * on the same server keeps working. Returns a function that detaches it.
 */
export function attachDashboard(
  server: Server,
  dashboard: Pick<DashboardApp, "fetch">,
): () => void {
  const onRequest = dashboardRequestListener(dashboard);
  server.on("request", onRequest);
  return () => {
    server.off("request", onRequest);
  };
}

/**
 * The dashboard as a Node request listener, for a server that routes some paths elsewhere
 * itself (call it for the requests it does not handle; attachDashboard takes them all).
 */
export function dashboardRequestListener(
  dashboard: Pick<DashboardApp, "fetch">,
): (req: IncomingMessage, res: ServerResponse) => void {
  const listener = getRequestListener((request) => dashboard.fetch(request), {
    overrideGlobalObjects: false,
  });
  return (req, res) => {
    void listener(req, res);
  };
}

export interface StartedDashboard {
  readonly server: Server;
  /** e.g. "http://127.0.0.1:8080/" (the address it listens on; the port chosen when 0). */
  readonly url: string;
  /** Ends the event streams, stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts an HTTP server of its own for the dashboard (default 127.0.0.1, a free port). */
export async function startDashboardServer(
  dashboard: Pick<DashboardApp, "fetch" | "close">,
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<StartedDashboard> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  attachDashboard(server, dashboard);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}/`,
    close: () => closeServer(server, dashboard),
  };
}

/** Ends the dashboard's streams, then closes the server and every connection still open. */
export function closeServer(server: Server, dashboard: Pick<DashboardApp, "close">): Promise<void> {
  dashboard.close();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
