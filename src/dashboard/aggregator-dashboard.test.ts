import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { EdgeNode } from "../node/index.js";
import {
  type AggregatorWithDashboard,
  startAggregatorWithDashboard,
} from "./aggregator-dashboard.js";
import { svmSetup } from "./test-support/svm-setup.js";
import type { WireSnapshot } from "./wire-types.js";

/**
 * The real aggregator behind the dashboard, in this process: three edge nodes on the embedded
 * MNIST (sharing previews), the page and its API on the aggregator's own port, the controls
 * driving the runs.
 */
const built = existsSync(
  fileURLToPath(new URL("../../dist/dashboard-web/index.html", import.meta.url)),
);

let served: AggregatorWithDashboard | undefined;
const nodes: EdgeNode[] = [];

afterEach(async () => {
  for (const n of nodes.splice(0)) n.stop();
  await served?.close();
  served = undefined;
});

async function start(): Promise<AggregatorWithDashboard> {
  served = await startAggregatorWithDashboard({
    port: 0,
    nodes: 3,
    runs: 0,
    setup: svmSetup({ budget: 600 }),
    delays: [{ target: "all", ms: 5 }],
  });
  for (const name of ["n1", "n2", "n3"]) {
    const node = new EdgeNode({ aggregator: served.aggregator.url, id: name, sharePreview: true });
    nodes.push(node);
    void node.run();
  }
  return served;
}

async function state(s: AggregatorWithDashboard): Promise<WireSnapshot> {
  const res = await fetch(new URL("api/state", s.dashboardUrl));
  return (await res.json()) as WireSnapshot;
}

async function control(s: AggregatorWithDashboard, command: object): Promise<number> {
  const res = await fetch(new URL("api/control", s.dashboardUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(command),
  });
  return res.status;
}

/** Polls the state until `ok` holds (the test's own timeout bounds it). */
async function until(
  s: AggregatorWithDashboard,
  ok: (state: WireSnapshot) => boolean,
): Promise<WireSnapshot> {
  for (;;) {
    const now = await state(s);
    if (ok(now)) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const held = (h: readonly number[] | null) => (h ?? []).filter((n) => n > 0).length;

describe("the aggregator with its dashboard", () => {
  it("serves the page and the node protocol on one port, and shows runs, nodes and verdicts", async () => {
    const s = await start();
    expect(new URL(s.aggregator.url).port).toBe(String(s.port));
    const page = await fetch(s.dashboardUrl);
    expect(page.status).toBe(built ? 200 : 503);
    await page.arrayBuffer();

    const live = await until(
      s,
      (st) =>
        (st.run?.points.length ?? 0) >= 3 &&
        st.nodes.every((n) => n.lastLocalSeconds !== null) &&
        st.test?.verdicts !== null,
    );
    expect(live.run?.setup).toMatchObject({ model: "svm", task: "even-odd", case: 1, nodes: 3 });
    expect(live.nodes.map((n) => n.id).sort()).toEqual(["n1", "n2", "n3"]);
    expect(live.nodes.reduce((sum, n) => sum + (n.dataSize ?? 0), 0)).toBe(8000);
    for (const n of live.nodes) {
      expect(n).toMatchObject({ online: true, delayMs: 5 });
      expect(held(n.labelHistogram)).toBe(10);
      expect(n.preview?.images).toHaveLength(8);
    }
    expect(live.test?.digits).toHaveLength(60);
    expect(live.test?.verdicts?.every((v) => v === "even" || v === "odd")).toBe(true);
    expect(live.test?.accuracy).toBeGreaterThan(0.5);
    expect(live.log.some((l) => l.text.includes("round-result"))).toBe(true);
  }, 60_000);

  it("restarts with a new partition for case 2, sets delays, stops and starts", async () => {
    const s = await start();
    const first = await until(s, (st) => (st.run?.points.length ?? 0) >= 2);

    expect(await control(s, { type: "set-case", case: 2 })).toBe(200);
    const second = await until(
      s,
      (st) =>
        st.run !== null &&
        st.run.id !== first.run?.id &&
        st.run.points.length >= 1 &&
        // Case 2 on three nodes: each holds three or four of the ten labels, no label twice.
        st.nodes.every((n) => held(n.labelHistogram) <= 4) &&
        st.nodes.reduce((sum, n) => sum + held(n.labelHistogram), 0) === 10,
    );
    expect(second.run?.setup.case).toBe(2);
    expect(second.previousRun).toMatchObject({ id: first.run?.id, endReason: "operator" });
    expect(second.settings.case).toBe(2);

    expect(await control(s, { type: "set-delay", ms: 40, node: "n2" })).toBe(200);
    expect(await control(s, { type: "set-delay", ms: 10, node: "n9" })).toBe(409);
    const delayed = await until(s, (st) => st.nodes.some((n) => n.delayMs === 40));
    expect(Object.fromEntries(delayed.nodes.map((n) => [n.id, n.delayMs]))).toEqual({
      n1: 5,
      n2: 40,
      n3: 5,
    });
    expect(s.aggregator.delays()).toEqual({ all: 5, nodes: { n2: 40 } });

    expect(await control(s, { type: "stop" })).toBe(200);
    const stopped = await until(s, (st) => !st.settings.running && st.run?.endedAt !== null);
    expect(stopped.run?.endReason).toBe("operator");
    expect(s.aggregator.runsPaused).toBe(true);

    expect(await control(s, { type: "set-tau", tau: 3 })).toBe(200);
    expect(await control(s, { type: "start" })).toBe(200);
    const fixed = await until(
      s,
      (st) =>
        st.settings.running && st.run?.id !== stopped.run?.id && (st.run?.points.length ?? 0) >= 2,
    );
    expect(fixed.run?.setup).toMatchObject({ case: 2, tauMode: 3 });
    expect(fixed.run?.points.every((p) => p.tau === 3)).toBe(true);
  }, 90_000);

  it("leaves every WebSocket upgrade to the node protocol", async () => {
    const s = await start();
    // A client that is not a node gets the protocol's refusal, not an HTTP answer.
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/events`);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.close();
  });
});
