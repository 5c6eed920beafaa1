import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createDashboardApp } from "./dashboard-app.js";
import { testSimulator } from "./test-support/test-simulator.js";

/** The page `npm run build:web` (part of `npm run build`, so of `npm test`) leaves in dist/. */
const webRoot = fileURLToPath(new URL("../../dist/dashboard-web/", import.meta.url));
const indexFile = join(webRoot, "index.html");

function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
}

describe("the built page", () => {
  it("exists: index.html and the script and stylesheet it loads", () => {
    expect(existsSync(indexFile), `${indexFile} is missing: run npm run build:web`).toBe(true);
    const html = readFileSync(indexFile, "utf8");
    const assets = assetsOf(html);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) expect(existsSync(join(webRoot, asset)), asset).toBe(true);
    for (const id of ["charts", "nodes", "test-grid", "log", "controls-fieldset", "run-summary"]) {
      expect(html).toContain(`id="${id}"`);
    }
  });

  it("is what the app serves at /, with its assets", async () => {
    const source = await testSimulator();
    const dashboard = createDashboardApp({ source, webRoot });
    try {
      const page = await dashboard.app.request("/");
      expect(page.status).toBe(200);
      const html = await page.text();
      for (const asset of assetsOf(html)) {
        const res = await dashboard.app.request(`/${asset}`);
        expect(res.status, asset).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1_000);
      }
    } finally {
      dashboard.close();
      await source.close();
    }
  });
});
