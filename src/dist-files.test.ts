import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * dist/ (what the package ships, with bin/ and proto/) is the build of src/ and nothing else:
 * no test code, no test support, no module whose source is gone.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe("dist/", () => {
  it("holds a compiled source file of src/ for every module, and nothing from tests", () => {
    expect(existsSync(dist), "dist/ is missing: run npm run build").toBe(true);
    const stray: string[] = [];
    for (const file of files(dist)) {
      const name = relative(dist, file);
      // The page, built by vite from src/dashboard/web/.
      if (name.startsWith(`dashboard-web${sep}`)) continue;
      if (!name.endsWith(".js")) continue;
      const source = join(root, "src", name.replace(/\.js$/, ".ts"));
      const test = name.endsWith(".test.js") || name.split(sep).includes("test-support");
      if (test || !existsSync(source)) stray.push(name);
    }
    expect(stray).toEqual([]);
  });
});
