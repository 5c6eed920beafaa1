import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The page's code runs in browsers: it imports nothing from Node, and from the rest of fedtau
 * only the dashboard's shared, browser-safe modules (types and the command schema). Those may
 * name core's types (type-only imports are erased) and core's constants from modules that
 * import nothing, so the page carries no core code beyond a number.
 */
const webDir = fileURLToPath(new URL("./web/", import.meta.url));
const dashboardDir = fileURLToPath(new URL(".", import.meta.url));
const coreDir = fileURLToPath(new URL("../core/", import.meta.url));
const SHARED = new Set(["wire-types.ts", "control-command.ts", "run-pair.ts"]);
const PACKAGES = new Set(["uplot", "zod/mini"]);

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']/g,
    ),
  ].map((m) => m[1] ?? m[2]);
}

/** The modules a file imports with `import type` only. */
function typeOnlyImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/import\s+type\s[^'"]*?from\s*["']([^"']+)["']/g)].map((m) => m[1]);
}

describe("the page's imports", () => {
  it("stay in the browser: no node:*, only shared dashboard modules, uplot and zod/mini", () => {
    const offences: string[] = [];
    const files = readdirSync(webDir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      for (const spec of imports(join(webDir, name))) {
        if (spec.endsWith(".css")) continue;
        if (spec.startsWith(".")) {
          const target = resolve(webDir, spec).replace(/\.js$/, ".ts");
          const inWeb = dirname(target) === dirname(join(webDir, name));
          const shared =
            `${dirname(target)}/` === dashboardDir && SHARED.has(relative(dashboardDir, target));
          if (!inWeb && !shared) offences.push(`${name} imports ${spec}`);
        } else if (!PACKAGES.has(spec)) {
          offences.push(`${name} imports ${spec}`);
        }
      }
    }
    for (const shared of SHARED) {
      const file = join(dashboardDir, shared);
      for (const spec of imports(file)) {
        if (PACKAGES.has(spec) || spec.startsWith("./")) continue;
        const target = resolve(dashboardDir, spec).replace(/\.js$/, ".ts");
        const fromCore = target.startsWith(coreDir);
        const count = (list: string[]) => list.filter((s) => s === spec).length;
        const erased = count(typeOnlyImports(file)) === count(imports(file));
        if (!(fromCore && (erased || imports(target).length === 0)))
          offences.push(`${shared} imports ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
