import { chromium } from "playwright-core";

/**
 * A screenshot of a running dashboard, for looking at the page while developing it:
 *   npx tsx src/dashboard/test-support/screenshot.ts URL OUT.png [width height] [wait ms]
 */
const [
  url = "http://127.0.0.1:5174/",
  out = "dashboard.png",
  w = "1440",
  h = "900",
  wait = "4000",
] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForTimeout(Number(wait));
  await page.screenshot({ path: out, fullPage: process.env.FULL === "1" });
  for (const p of problems) console.log(p);
} finally {
  await browser.close();
}
