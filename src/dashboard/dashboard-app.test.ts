import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDashboardApp, type DashboardApp, type DashboardOptions } from "./dashboard-app.js";
import type { SimulatorSource } from "./simulator-source.js";
import { Heard } from "./test-support/heard-changes.js";
import { SseReader } from "./test-support/sse-reader.js";
import { type TestSimulatorOptions, testSimulator } from "./test-support/test-simulator.js";
import type { WireChange, WireHello, WireSnapshot } from "./wire-types.js";

const open: { dashboard: DashboardApp; source: SimulatorSource }[] = [];

/** The app on a simulator source (not started): seeded simulated costs, 12 test digits. */
async function setup(options: Partial<DashboardOptions> = {}, sim: TestSimulatorOptions = {}) {
  const source = await testSimulator({ watchSample: 12, ...sim });
  const dashboard = createDashboardApp({ source, webRoot: null, ...options });
  open.push({ dashboard, source });
  return { source, dashboard, app: dashboard.app, heard: new Heard(source) };
}

afterEach(async () => {
  for (const { dashboard, source } of open.splice(0)) {
    dashboard.close();
    await source.close();
  }
});

async function state(app: DashboardApp["app"]): Promise<WireSnapshot> {
  const res = await app.request("/api/state");
  expect(res.status).toBe(200);
  return (await res.json()) as WireSnapshot;
}

function post(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

const type = (e: { data: string }) => (JSON.parse(e.data) as WireChange).type;

describe("GET /api/state", () => {
  it("answers the snapshot: run, nodes, test digits, log, settings", async () => {
    const { source, app } = await setup({}, { runs: 1, setup: { rounds: 5 } });
    source.start();
    await source.done;
    const s = await state(app);
    expect(s.run?.id).toBe("sim-1");
    expect(s.run?.setup).toMatchObject({ model: "svm", case: 1, tauMode: "adaptive", nodes: 5 });
    // Five full rounds and the evaluation-only one.
    expect(s.run?.points.map((p) => p.round)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.run?.endReason).toBe("round-limit");
    const last = s.run!.points[4];
    expect(last.loss).toBeGreaterThan(0);
    expect(last.accuracy).toBeGreaterThan(0.6);
    expect(last.c).toBeGreaterThan(0);
    expect(last.b).toBeGreaterThan(0);
    expect(last.budget).toBe(30);
    expect(s.nodes).toHaveLength(5);
    expect(s.nodes.reduce((sum, n) => sum + (n.dataSize ?? 0), 0)).toBe(1_000);
    expect(s.nodes[0].labelHistogram).toHaveLength(10);
    expect(s.nodes[0].preview?.images.length).toBe(8);
    expect(atob(s.nodes[0].preview!.images[0])).toHaveLength(784);
    expect(s.test?.digits).toHaveLength(12);
    expect(s.test?.verdicts).toHaveLength(12);
    expect(s.test?.round).toBe(6);
    expect(s.log.some((l) => / round 5 tau \d+: loss /.test(l.text))).toBe(true);
    expect(s.access).toBe("open");
    expect(s.seq).toBeGreaterThan(0);
  });

  it("keeps bounded buffers: the latest rounds per run and log lines", async () => {
    const { source, app } = await setup(
      { limits: { roundsPerRun: 10, logLines: 20 } },
      { runs: 1, setup: { tau: 2, rounds: 51 } },
    );
    source.start();
    await source.done;
    const s = await state(app);
    expect(s.limits).toEqual({ roundsPerRun: 10, logLines: 20 });
    expect(s.run?.points.map((p) => p.round)).toEqual([43, 44, 45, 46, 47, 48, 49, 50, 51, 52]);
    expect(s.log).toHaveLength(20);
  });

  it("moves the ended run behind the new one", async () => {
    const { source, app, heard } = await setup();
    source.start();
    await heard.until((cs) => cs.some((c) => c.type === "round"));
    await source.control({ type: "set-case", case: 2 });
    await heard.until((cs) => cs.some((c) => c.type === "round" && c.runId === "sim-2"));
    const s = await state(app);
    expect(s.run?.id).toBe("sim-2");
    expect(s.run?.setup.case).toBe(2);
    expect(s.previousRun?.id).toBe("sim-1");
    expect(s.previousRun?.endReason).toBe("operator");
    expect(s.previousRun?.points.length).toBeGreaterThanOrEqual(1);
    // Case 2 on five nodes: each node holds two digits.
    for (const node of s.nodes) expect(node.labelHistogram!.filter((n) => n > 0)).toHaveLength(2);
  });
});

describe("GET /api/events", () => {
  it("says hello, then streams every change with its sequence number", async () => {
    const { source, app } = await setup();
    const res = await app.request("/api/events");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    const sse = new SseReader(res.body!);
    const hello = await sse.next();
    expect(hello.event).toBe("hello");
    const { seq } = JSON.parse(hello.data) as WireHello;
    source.start();
    const events = await sse.until((e) => type(e) === "round");
    const changes = events.map((e) => JSON.parse(e.data) as WireChange);
    expect(events.every((e) => e.event === "change")).toBe(true);
    expect(changes.map((c) => c.type)).toContain("run-start");
    expect(changes.map((c) => c.seq)).toEqual(changes.map((_, k) => seq + k + 1));
    expect(events.at(-1)?.id).toBe(String(changes.at(-1)?.seq));
    const round = changes.at(-1) as Extract<WireChange, { type: "round" }>;
    expect(round.runId).toBe("sim-1");
    expect(round.point.round).toBe(1);
    await sse.cancel();
  });

  it("sends node previews only when they change", async () => {
    const { source, app } = await setup();
    const sse = new SseReader((await app.request("/api/events")).body!);
    await sse.next();
    source.start();
    // The node is shown, then its Ready: its data and a preview.
    const first = await sse.until((e) => {
      const c = JSON.parse(e.data) as WireChange;
      return c.type === "node" && c.node.preview !== null && c.node.preview !== undefined;
    });
    const shown = JSON.parse(first.at(-1)!.data) as Extract<WireChange, { type: "node" }>;
    expect(shown.node.preview?.images).toHaveLength(8);
    await sse.until((e) => type(e) === "round");
    const events = await sse.until((e) => type(e) === "node");
    const node = JSON.parse(events.at(-1)!.data) as Extract<WireChange, { type: "node" }>;
    expect(node.node.lastLocalSeconds).not.toBeNull();
    expect("preview" in node.node).toBe(false);
    await sse.cancel();
  });

  it("drops the oldest changes of a slow client and tells it to resync", async () => {
    const { source, app, dashboard } = await setup({ limits: { clientQueue: 8 } });
    const sse = new SseReader((await app.request("/api/events")).body!);
    await sse.next(); // hello; then this client reads nothing for a while
    // A burst: each command's log line and settings, all emitted before the stream runs again.
    for (let k = 0; k < 20; k++) void source.control({ type: "set-budget", seconds: 10 + k });
    const events = await sse.until((e) => e.event === "resync");
    const resync = JSON.parse(events.at(-1)!.data) as WireHello;
    expect(resync.seq).toBe(dashboard.state.seq);
    // Before the resync: at most what was already on its way; after it, the latest 8 changes.
    expect(events.length).toBeLessThan(8);
    const rest = [];
    for (let k = 0; k < 8; k++) rest.push(JSON.parse((await sse.next()).data) as WireChange);
    expect(rest.at(-1)?.seq).toBe(dashboard.state.seq);
    expect(rest.map((c) => c.seq)).toEqual(rest.map((_, k) => dashboard.state.seq - 7 + k));
    await sse.cancel();
  });

  it("lets go of a client that disconnects", async () => {
    const { source, app } = await setup({}, { runs: 1, setup: { rounds: 2 } });
    const sse = new SseReader((await app.request("/api/events")).body!);
    await sse.next();
    await sse.cancel();
    source.start(); // publishing to no one must not throw
    await source.done;
    const again = new SseReader((await app.request("/api/events")).body!);
    expect((await again.next()).event).toBe("hello");
    await again.cancel();
  });

  it("refuses clients beyond the limit", async () => {
    const { app } = await setup({ limits: { clients: 1 } });
    const first = new SseReader((await app.request("/api/events")).body!);
    await first.next();
    const second = await app.request("/api/events");
    expect(second.status).toBe(503);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
      "too-many-clients",
    );
    await first.cancel();
  });
});

describe("POST /api/control", () => {
  it("carries out a valid command on loopback without a token", async () => {
    const { app, source, heard } = await setup();
    source.start();
    await heard.until((cs) => cs.some((c) => c.type === "round"));
    const res = await app.request("/api/control", post({ type: "set-delay", ms: 300 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const s = await state(app);
    expect(s.settings.delayMs).toBe(300);
    expect(s.nodes.every((n) => n.delayMs === 300)).toBe(true);
  });

  it("sets one node's delay, and refuses an unknown node (409)", async () => {
    const { app, source, heard } = await setup();
    source.start();
    await heard.until((cs) => cs.some((c) => c.type === "round"));
    expect(
      (await app.request("/api/control", post({ type: "set-delay", ms: 50, node: "n2" }))).status,
    ).toBe(200);
    const s = await state(app);
    expect(s.nodes.map((n) => n.delayMs)).toEqual([0, 50, 0, 0, 0]);
    const res = await app.request("/api/control", post({ type: "set-delay", ms: 50, node: "n9" }));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "refused", message: 'No node "n9"' } });
  });

  it("answers 400 with a clear message for invalid commands", async () => {
    const { app } = await setup();
    const cases: [unknown, RegExp][] = [
      [{ type: "set-case", case: 5 }, /case must be 1, 2, 3 or 4/],
      [{ type: "set-delay", ms: -5 }, /ms must be 0 or more/],
      [{ type: "set-budget", seconds: "ten" }, /seconds must be a number/],
      [{ type: "set-tau", tau: 0 }, /fixed tau must be 1 or more/],
      [{ type: "reboot" }, /type must be one of/],
      [{ type: "start", now: true }, /unknown field "now"/],
    ];
    for (const [body, message] of cases) {
      const res = await app.request("/api/control", post(body));
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe("invalid-command");
      expect(json.error.message).toMatch(message);
    }
    const bad = await app.request("/api/control", post("{not json"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad-json");
  });

  it("wants JSON, small bodies and requests from its own page", async () => {
    const { app } = await setup();
    const text = await app.request("/api/control", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: '{"type":"stop"}',
    });
    expect(text.status).toBe(415);
    const big = await app.request("/api/control", post({ type: "stop", pad: "x".repeat(10_000) }));
    expect(big.status).toBe(413);
    const foreign = await app.request(
      "http://localhost/api/control",
      post({ type: "stop" }, { Origin: "https://evil.example" }),
    );
    expect(foreign.status).toBe(403);
    const own = await app.request(
      "http://localhost/api/control",
      post({ type: "stop" }, { Origin: "http://localhost" }),
    );
    expect(own.status).toBe(200);
  });

  it("beyond loopback without an admin token: controls disabled (403)", async () => {
    const { app } = await setup({ beyondLoopback: true });
    expect((await state(app)).access).toBe("disabled");
    const res = await app.request("/api/control", post({ type: "stop" }));
    expect(res.status).toBe(403);
    expect(
      ((await res.json()) as { error: { code: string; message: string } }).error,
    ).toMatchObject({
      code: "controls-disabled",
      message: expect.stringMatching(/--admin-token/),
    });
  });

  it("beyond loopback with an admin token: 401 without it or wrong, 200 with it", async () => {
    const { app } = await setup({ beyondLoopback: true, adminToken: "s3cret" });
    expect((await state(app)).access).toBe("token");
    const none = await app.request("/api/control", post({ type: "stop" }));
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const wrong = await app.request(
      "/api/control",
      post({ type: "stop" }, { Authorization: "Bearer nope" }),
    );
    expect(wrong.status).toBe(401);
    // Authentication comes before validation: nothing is said about the body without the token.
    const invalid = await app.request(
      "/api/control",
      post({ type: "x" }, { Authorization: "Bearer no" }),
    );
    expect(invalid.status).toBe(401);
    const right = await app.request(
      "/api/control",
      post({ type: "stop" }, { Authorization: "Bearer s3cret" }),
    );
    expect(right.status).toBe(200);
    expect((await state(app)).settings.running).toBe(false);
  });

  it("a configured token is needed on loopback too", async () => {
    const { app } = await setup({ adminToken: "t" });
    expect((await app.request("/api/control", post({ type: "stop" }))).status).toBe(401);
    expect(
      (await app.request("/api/control", post({ type: "stop" }, { Authorization: "Bearer t" })))
        .status,
    ).toBe(200);
  });
});

describe("the page's files", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("serves index.html at / and the assets, with safe headers", async () => {
    dir = mkdtempSync(join(tmpdir(), "fedtau-web-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>fedtau</title>");
    writeFileSync(join(dir, "assets", "index-abc.js"), "console.log(1)");
    const { app } = await setup({ webRoot: dir });
    const page = await app.request("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    expect(page.headers.get("Content-Security-Policy")).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/<title>fedtau/);
    const js = await app.request("/assets/index-abc.js");
    expect(js.headers.get("Content-Type")).toMatch(/javascript/);
    expect(js.headers.get("Cache-Control")).toMatch(/immutable/);
    expect((await app.request("/assets/missing.js")).status).toBe(404);
    expect((await app.request("/../package.json")).status).toBe(404);
    expect((await app.request("/api/nothing")).status).toBe(404);
  });

  it("says how to build the page when it is missing", async () => {
    const { app } = await setup({ webRoot: null });
    const res = await app.request("/");
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });
});
