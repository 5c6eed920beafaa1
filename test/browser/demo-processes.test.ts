import { afterAll, describe, expect, it } from "vitest";
import { exitWithin, requireBuild } from "../network/support/spawn-fedtau.js";
import { alive, allGone, type Demo, startDemo } from "./support/demo-process.js";

/**
 * `fedtau demo` (= npm start) as a person runs it: separate OS processes for the nodes, the page
 * served, and no process left behind however it ends: Ctrl-C, SIGTERM, or killed outright (the
 * nodes then notice their parent is gone and stop by themselves).
 */
const started: Demo[] = [];

afterAll(() => {
  for (const d of started) {
    d.process.kill("SIGKILL");
    for (const pid of d.nodePids) if (alive(pid)) process.kill(pid, "SIGKILL");
  }
});

async function runningDemo(): Promise<Demo> {
  requireBuild();
  const demo = await startDemo(["--budget", "5", "--quiet"], 2);
  started.push(demo);
  const page = await fetch(demo.url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("fedtau");
  // Rounds are under way: the nodes registered and trained.
  for (;;) {
    const state = (await (await fetch(new URL("api/state", demo.url))).json()) as {
      run: { points: unknown[] } | null;
    };
    if ((state.run?.points.length ?? 0) > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(demo.nodePids.every(alive)).toBe(true);
  return demo;
}

describe("fedtau demo processes", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`stops every process it started on ${signal}`, async () => {
      const demo = await runningDemo();
      demo.process.kill(signal);
      expect(await exitWithin(demo.process, 20_000)).toBe(0);
      expect(demo.process.stdout()).toContain("fedtau demo: stopped");
      await allGone(demo.nodePids);
    }, 60_000);
  }

  it("leaves no node behind when it is killed outright", async () => {
    const demo = await runningDemo();
    demo.process.kill("SIGKILL");
    await exitWithin(demo.process, 10_000);
    // The nodes' IPC channel to the demo closes: they stop by themselves.
    await allGone(demo.nodePids);
  }, 60_000);
});
