import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { createDashboardApp } from "./dashboard-app.js";
import { attachDashboard, closeServer, startDashboardServer } from "./dashboard-server.js";
import { SseReader } from "./test-support/sse-reader.js";
import { testSimulator } from "./test-support/test-simulator.js";
import type { WireSnapshot } from "./wire-types.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("serving the dashboard on a port", () => {
  it("starts a server of its own and streams over real HTTP", async () => {
    const source = await testSimulator();
    cleanups.push(() => source.close());
    const dashboard = createDashboardApp({ source, webRoot: null });
    const started = await startDashboardServer(dashboard);
    cleanups.push(() => started.close());
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(new URL("api/events", started.url));
    const sse = new SseReader(res.body!);
    expect((await sse.next()).event).toBe("hello");
    source.start();
    await sse.until((e) => e.event === "change" && JSON.parse(e.data).type === "round");
    const state = (await (await fetch(new URL("api/state", started.url))).json()) as WireSnapshot;
    expect(state.run?.id).toBe("sim-1");
    // close() ends the open stream rather than waiting for it.
    await started.close();
    await expect(sse.until(() => false)).rejects.toThrow();
  });

  it("shares the aggregator's server with its WebSocket endpoint", async () => {
    const source = await testSimulator();
    cleanups.push(() => source.close());
    const dashboard = createDashboardApp({ source, webRoot: null });
    const server = createServer();
    const wss = new WebSocketServer({ server, path: "/fedtau" });
    wss.on("connection", (ws) => ws.on("message", (data) => ws.send(`echo ${data}`)));
    attachDashboard(server, dashboard);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => {
      wss.close();
      return closeServer(server, dashboard);
    });
    const { port } = server.address() as AddressInfo;

    const state = await fetch(`http://127.0.0.1:${port}/api/state`);
    expect(state.status).toBe(200);

    const ws = new WebSocket(`ws://127.0.0.1:${port}/fedtau`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on("open", () => ws.send("hi"));
      ws.on("message", (data) => resolve(String(data)));
      ws.on("error", reject);
    });
    expect(reply).toBe("echo hi");
    ws.close();
  });
});
