import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Aggregator, type AggregatorOptions } from "../aggregator/aggregator.js";
import { DEFAULT_WATCH_SAMPLE } from "../aggregator/test-sample.js";
import type { LogEntry } from "../protocol/message-log.js";
import { AggregatorSource } from "./aggregator-source.js";
import { isLoopbackHost } from "./control-auth.js";
import { createDashboardApp, type DashboardApp } from "./dashboard-app.js";
import { attachDashboard, closeServer } from "./dashboard-server.js";

export interface DashboardServing {
  /** `--admin-token`: controls need it (always, when given). */
  readonly adminToken?: string;
  /** `--dashboard-allowed-hosts`: names the page answers to besides localhost and IPs. */
  readonly allowedHosts?: readonly string[];
  /** The protocol log's other destination (the terminal), if any. */
  readonly log?: (entry: LogEntry) => void;
  /** The built page (default: dist/dashboard-web/). */
  readonly webRoot?: string;
}

export interface AggregatorWithDashboard {
  readonly aggregator: Aggregator;
  readonly source: AggregatorSource;
  readonly dashboard: DashboardApp;
  /** The port both listen on. */
  readonly port: number;
  /** e.g. http://127.0.0.1:7420/ (a loopback address when listening on every interface). */
  readonly dashboardUrl: string;
  /** Closes the aggregator (nodes get Stop "shutdown"), then the page's streams and the server. */
  close(): Promise<void>;
}

/**
 * The aggregator with its dashboard on one port: the page and its API answer plain HTTP requests
 * and the node protocol takes every WebSocket upgrade (src/dashboard/README.md, "Serving it next
 * to the node protocol"). Without `adminToken`, controls are open on loopback and disabled
 * beyond it. When the aggregator's runs are done the server closes too.
 */
export async function startAggregatorWithDashboard(
  options: AggregatorOptions,
  serving: DashboardServing = {},
): Promise<AggregatorWithDashboard> {
  if (options.tls !== undefined) {
    throw new Error("--dashboard does not serve over TLS yet: leave out --tls-cert/--tls-key");
  }
  const host = options.host ?? "127.0.0.1";
  const delay = options.delays?.filter((d) => d.target === "all").at(-1)?.ms ?? 0;
  const source = new AggregatorSource({
    setup: options.setup,
    delayMs: delay,
    ...(serving.log === undefined ? {} : { log: serving.log }),
  });
  const dashboard = createDashboardApp({
    source,
    beyondLoopback: !isLoopbackHost(host),
    ...(serving.adminToken ? { adminToken: serving.adminToken } : {}),
    ...(serving.allowedHosts === undefined ? {} : { allowedHosts: serving.allowedHosts }),
    ...(serving.webRoot === undefined ? {} : { webRoot: serving.webRoot }),
  });
  const server = createServer();
  attachDashboard(server, dashboard);
  try {
    await listen(server, host, options.port ?? 0);
  } catch (error) {
    dashboard.close();
    throw error;
  }
  let aggregator: Aggregator;
  try {
    aggregator = await Aggregator.start({
      watchSample: DEFAULT_WATCH_SAMPLE,
      ...options,
      server,
      log: source.log,
      onEvent: source.onEvent,
    });
  } catch (error) {
    await closeServer(server, dashboard);
    throw error;
  }
  source.attach(aggregator);
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= aggregator
      .close()
      .then(() => closeServer(server, dashboard))
      .catch(() => closeServer(server, dashboard));
    return closing;
  };
  void aggregator.done.then(close, close);
  return {
    aggregator,
    source,
    dashboard,
    port,
    dashboardUrl: `http://${urlHost(isLoopbackHost(host) ? host : "127.0.0.1")}:${port}/`,
    close,
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "EADDRINUSE"
          ? `port ${port} is in use (another fedtau?); pick another with --port`
          : error.message;
      reject(new Error(`Cannot listen on ${host}:${port}: ${why}`));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
