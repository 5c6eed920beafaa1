import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, describe, expect } from "vitest";
import { itNeeds } from "../../src/test-support/prerequisite.js";
import { exitWithin, ROOT, requireBuild } from "../network/support/spawn-fedtau.js";
import { alive, allGone, type Demo, startDemo } from "./support/demo-process.js";

/**
 * The demonstration as a visitor meets it, in Debian's Chromium: `fedtau demo` (real aggregator
 * and node processes), the page live, then the controls: case 2 gives each node two digits; 300
 * ms of added delay makes b jump, adaptive tau climbs after it and the controller panel says why;
 * a phone-wide window keeps one column. Screenshots go to reports/screenshots/;
 * FEDTAU_DOCS_SCREENSHOT=1 also copies the page after the delay to docs/screenshot.png and its
 * controller panel to docs/controller.png.
 */
const CHROMIUM = "/usr/bin/chromium";
const itChromium = itNeeds({
  name: "Debian's chromium",
  present: existsSync(CHROMIUM),
  install: "apt-get install -y chromium",
});
const SHOTS = join(ROOT, "reports", "screenshots");

let demo: Demo | undefined;
let context: BrowserContext | undefined;
let profile: string | undefined;

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  if (demo !== undefined) {
    demo.process.kill("SIGINT");
    await exitWithin(demo.process, 20_000).catch(() => demo?.process.kill("SIGKILL"));
    for (const pid of demo.nodePids) if (alive(pid)) process.kill(pid, "SIGKILL");
  }
});

/** The latest value a chart shows (its data-latest-* attribute), NaN when none. */
async function latest(page: Page, metric: "b" | "tau"): Promise<number> {
  const text = await page.getAttribute(
    `#charts .chart[data-latest-${metric}]`,
    `data-latest-${metric}`,
  );
  return text === null || text === "" ? Number.NaN : Number(text);
}

async function shoot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, name);
  await page.screenshot({ path });
  return path;
}

describe("the dashboard in Chromium", () => {
  itChromium(
    "shows a live demo and answers its controls",
    async () => {
      requireBuild();
      mkdirSync(SHOTS, { recursive: true });
      demo = await startDemo(["--quiet"], 5);
      profile = mkdtempSync(join(tmpdir(), "fedtau-chromium-"));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
        viewport: { width: 1440, height: 900 },
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      await page.goto(demo.url);

      // Rounds arrive: every chart has points, the test grid has a verdict on every digit.
      await page.waitForFunction(() => {
        const charts = [...document.querySelectorAll<HTMLElement>("#charts .chart")];
        return charts.length >= 6 && charts.every((c) => Number(c.dataset.points) >= 5);
      });
      await page.waitForFunction(() => {
        const verdicts = [...document.querySelectorAll("#test-grid .verdict")];
        return (
          verdicts.length >= 40 &&
          verdicts.every((v) => v.textContent === "even" || v.textContent === "odd")
        );
      });
      const cells = await page.locator("#test-grid figure.digit").count();
      const marked = await page
        .locator("#test-grid figure.correct, #test-grid figure.mistake")
        .count();
      expect(marked).toBe(cells);
      expect(await page.locator("#nodes article.node").count()).toBe(5);
      // The controller panel: the latest search's G(tau) curve, the chosen tau marked on it.
      await page.waitForFunction(() => {
        const chart = document.querySelector<HTMLElement>("#bound-chart");
        return Number(chart?.dataset.points) >= 5 && (chart?.dataset.chosen ?? "") !== "";
      });
      expect(await page.locator("#controller .controller-inputs dd").count()).toBeGreaterThan(1);
      await shoot(page, "1-case-1.png");

      // Case 2: the run restarts, each node holds two digits.
      const firstRun = await page.locator("#run-summary .chip").first().textContent();
      await page.click('#case button[data-case="2"]');
      await page.waitForFunction(() => {
        const nodes = [...document.querySelectorAll("#nodes article.node")];
        return (
          nodes.length === 5 &&
          nodes.every((n) => n.querySelectorAll(".histogram .bar:not(.zero)").length === 2)
        );
      });
      await page.waitForFunction((before) => {
        const chip = document.querySelector("#run-summary .chip")?.textContent;
        const tau = document.querySelector<HTMLElement>("#charts .chart[data-latest-tau]");
        return chip !== before && Number(tau?.dataset.points) >= 8;
      }, firstRun);
      await shoot(page, "2-case-2.png");

      // 300 ms of added delay on every node, each way: b jumps past half a second (from the
      // default 30 ms each way), then adaptive tau climbs.
      const b0 = await latest(page, "b");
      const tau0 = await latest(page, "tau");
      expect(b0).toBeLessThan(0.55);
      await page.selectOption("#delay-node", "");
      await page.fill("#delay-ms", "300");
      await page.click('#delay-form button[type="submit"]');
      await page.waitForFunction(() =>
        [...document.querySelectorAll("#nodes article.node")].every((n) =>
          n.textContent?.includes("delay 300 ms"),
        ),
      );
      const applied = Number(
        await page.getAttribute("#charts .chart[data-latest-b]", "data-points"),
      );
      await page.waitForFunction(
        (b) =>
          Number(
            document.querySelector("#charts .chart[data-latest-b]")?.getAttribute("data-latest-b"),
          ) > b,
        0.55,
      );
      // The round that measured the delay (the rounds of the current run so far).
      const delayed = Number(
        await page.getAttribute("#charts .chart[data-latest-b]", "data-points"),
      );
      await page.waitForFunction(
        (tau) =>
          Number(
            document
              .querySelector("#charts .chart[data-latest-tau]")
              ?.getAttribute("data-latest-tau"),
          ) > tau,
        tau0,
      );
      // A reason line (newest first) for a round that ran with the delay, and the same line in
      // the log.
      const newest = "#tau-reasons li:first-child";
      await page.waitForFunction(
        ([sel, round]) =>
          Number(document.querySelector<HTMLElement>(sel as string)?.dataset.round) >=
          Number(round),
        [newest, delayed],
      );
      if (process.env.FEDTAU_DOCS_SCREENSHOT === "1") {
        // For the README, a moment when a reason on the panel since the delay is the aggregation
        // cost b (the delay's doing); not required.
        await page
          .waitForFunction(
            (round) =>
              [...document.querySelectorAll<HTMLElement>("#tau-reasons li")].some(
                (li) =>
                  Number(li.dataset.round) >= round && /b \(time\)/.test(li.textContent ?? ""),
              ),
            applied,
            { timeout: 20_000 },
          )
          .catch(() => undefined);
      }
      const reasons = await page.locator("#tau-reasons li").allTextContents();
      expect(reasons.length).toBeLessThanOrEqual(12);
      expect(reasons[0]).toMatch(/^round \d+: tau \d+ -> \d+/);
      expect(
        await page.locator("#log .log-line", { hasText: reasons[0] }).count(),
      ).toBeGreaterThanOrEqual(1);
      const shot = await shoot(page, "3-delay-300ms.png");
      const panel = join(SHOTS, "3-controller.png");
      await page.locator("#controller").screenshot({ path: panel });
      expect(problems).toEqual([]);
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      if (process.env.FEDTAU_DOCS_SCREENSHOT === "1") {
        // The README's pictures: small enough to commit.
        expect(statSync(shot).size).toBeLessThan(300_000);
        copyFileSync(shot, join(ROOT, "docs", "screenshot.png"));
        copyFileSync(panel, join(ROOT, "docs", "controller.png"));
      }

      // A phone, 390 px wide: one column, nothing wider than the screen, the panel in its column.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForFunction(() => {
        const plot = document.querySelector("#bound-chart canvas")?.getBoundingClientRect();
        const box = document.querySelector("#controller")?.getBoundingClientRect();
        return plot !== undefined && box !== undefined && plot.right <= box.right;
      });
      const phone = await page.evaluate(() => {
        const box = (s: string) => {
          const r = document.querySelector(s)?.getBoundingClientRect();
          return r && { left: r.left, right: r.right, width: r.width };
        };
        return {
          scrollWidth: document.documentElement.scrollWidth,
          controller: box("#controller"),
          charts: box("#charts"),
        };
      });
      expect(phone.scrollWidth).toBeLessThanOrEqual(390);
      expect(phone.controller?.left).toBeGreaterThanOrEqual(0);
      expect(phone.controller?.right).toBeLessThanOrEqual(390);
      expect(phone.charts?.width).toBeGreaterThan(300);
      await page.locator("#controller").scrollIntoViewIfNeeded();
      await shoot(page, "4-phone.png");

      // Ctrl-C ends the demo and every node process.
      demo.process.kill("SIGINT");
      expect(await exitWithin(demo.process, 20_000)).toBe(0);
      await allGone(demo.nodePids);
    },
    90_000,
  );
});
