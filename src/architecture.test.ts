import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layering of docs/architecture.md, enforced: src/core is pure (no Node built-ins, no DOM,
 * nothing from above it), and imports only point down the stack.
 */
const srcDir = fileURLToPath(new URL(".", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) found.push(m[1] ?? m[2]);
  return found;
}

/** The top folder of src/ a file belongs to ("core", "cli", ...). */
function layerOf(file: string): string {
  return relative(srcDir, file).split(sep)[0];
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe("architecture", () => {
  const files = sourceFiles(srcDir);

  it("finds the source tree", () => {
    expect(files.some((f) => layerOf(f) === "core")).toBe(true);
  });

  it("keeps src/core free of Node built-ins, the DOM and upper layers", () => {
    const offences: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === "core")) {
      const name = relative(srcDir, file);
      for (const spec of importsOf(file)) {
        if (builtins.has(spec) || spec.startsWith("node:"))
          offences.push(`${name} imports ${spec}`);
        if (spec.startsWith(".")) {
          const target = resolve(join(file, ".."), spec);
          if (layerOf(target) !== "core")
            offences.push(`${name} imports ${spec} from outside core`);
        }
      }
      const code = readFileSync(file, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      for (const global of ["document", "window", "process", "require", "Buffer", "__dirname"]) {
        if (new RegExp(`(?<![\\w$.\\-/])${global}\\s*[.(\\[]`).test(code))
          offences.push(`${name} uses ${global}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("points imports down the stack only", () => {
    // A layer may import itself and anything of a lower rank.
    const rank: Record<string, number> = {
      core: 0,
      protocol: 1,
      datasets: 1,
      record: 1,
      transport: 2,
      sim: 3,
      node: 3,
      aggregator: 3,
      experiment: 4,
      bench: 4,
      dashboard: 4,
      cli: 5,
    };
    const offences: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (!(from in rank)) continue;
      for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
        const to = layerOf(resolve(join(file, ".."), spec));
        if (to in rank && to !== from && rank[to] >= rank[from]) {
          offences.push(`${relative(srcDir, file)} (${from}) imports ${spec} (${to})`);
        }
      }
    }
    expect(offences).toEqual([]);
  });
});
