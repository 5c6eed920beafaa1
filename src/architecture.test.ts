import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layering of docs/architecture.md, enforced: src/core is pure (no Node built-ins, no DOM,
 * nothing from above it), imports only point down the stack (and down core's inner stack), no
 * two files import each other even through others, and the repository cites only itself.
 */
const srcDir = fileURLToPath(new URL(".", import.meta.url));
const repoDir = resolve(srcDir, "..");

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

/** The source file a relative import names (`./x.js` is `./x.ts`). */
function targetOf(file: string, spec: string): string {
  return resolve(join(file, ".."), spec).replace(/\.js$/, ".ts");
}

/** The folder of src/core a file is in ("linalg", "data", ...); "" for core's own (units.ts). */
function coreLayerOf(file: string): string {
  const parts = relative(join(srcDir, "core"), file).split(sep);
  return parts.length === 1 ? "" : parts[0];
}

/**
 * The groups of files that import each other, directly or through others (type-only imports
 * included: they tie the files together as much for a reader), each as one line.
 */
function importCycles(files: readonly string[]): string[] {
  const known = new Set(files);
  const edges = new Map(
    files.map((f) => [
      f,
      importsOf(f)
        .filter((s) => s.startsWith("."))
        .map((s) => targetOf(f, s))
        .filter((t) => known.has(t)),
    ]),
  );
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      group.push(relative(srcDir, w));
      if (w === v) break;
    }
    if (group.length > 1 || edges.get(v)!.includes(v)) cycles.push(group.sort().join(" <-> "));
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

/** Every text file under dir (recursively), skipping images. */
function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textFiles(path);
    return /\.(png|jpe?g|gif|ico|wasm|gz)$/.test(name) ? [] : [path];
  });
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

  it("points imports down core's inner stack only: linalg, data -> models -> train -> control -> federation", () => {
    // core's own files (units.ts, clock.ts) are the bottom; linalg and data sit side by side.
    const rank: Record<string, number> = {
      "": 0,
      linalg: 1,
      data: 1,
      models: 2,
      train: 3,
      control: 4,
      federation: 5,
    };
    const offences: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === "core")) {
      const from = coreLayerOf(file);
      if (!(from in rank)) offences.push(`${relative(srcDir, file)} is in no layer of the stack`);
      for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
        const target = targetOf(file, spec);
        if (layerOf(target) !== "core") continue; // the test above refuses those
        const to = coreLayerOf(target);
        if (to !== from && !(rank[to] < rank[from])) {
          offences.push(
            `${relative(srcDir, file)} (${from || "core"}) imports ${spec} (${to || "core"})`,
          );
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it("has no import cycles, type-only imports included", () => {
    expect(importCycles(files)).toEqual([]);
  });

  it("cites only files inside the repository", () => {
    // Built from parts so that this file does not match itself.
    const outside = new RegExp(
      ["\\.\\./shared", "shared\\/spec", "\\.\\./spec/", "design\\.md", "stack\\.md"].join("|"),
    );
    const places = ["src", "docs", "test", "scripts"].map((d) => join(repoDir, d));
    const offences: string[] = [];
    for (const file of [...places.flatMap(textFiles), join(repoDir, "README.md")]) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (outside.test(line))
            offences.push(`${relative(repoDir, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offences).toEqual([]);
  });
});
