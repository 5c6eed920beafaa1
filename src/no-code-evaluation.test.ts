import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Nothing received is ever evaluated as code (docs/security.md): frames are decoded by protobuf
 * and checked by the validation rules, dashboard commands by a zod schema, files by JSON.parse.
 * This check keeps it so: no shipped source under src/ or bin/ uses eval, the Function
 * constructor, node:vm, string timers or a computed dynamic import. Tests and test-support
 * folders are exempt (they never handle received data; test-support/force-gc.ts uses node:vm to
 * reach V8's gc()).
 */
const root = fileURLToPath(new URL("..", import.meta.url));

function shippedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === "test-support" || name === "node_modules" ? [] : shippedFiles(path);
    }
    return /\.(ts|js|mjs)$/.test(name) && !/\.test\.ts$|\.d\.ts$/.test(name) ? [path] : [];
  });
}

const FORBIDDEN: readonly [string, RegExp][] = [
  ["eval", /(^|[^.\w$])eval\s*\(/],
  ["the Function constructor", /\bnew\s+Function\b|(^|[^.\w$])Function\s*\(/],
  ["node:vm", /["'](node:)?vm["']/],
  ["a string timer", /\bset(Timeout|Interval|Immediate)\s*\(\s*["'`]/],
  ["a computed dynamic import", /\bimport\s*\(\s*[^"'`\s)]/],
];

/** The code without comments and the insides of string literals (so prose cannot trip it). */
function codeOf(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (s) => `${s[0]}${s[0]}`);
}

describe("no code evaluation", () => {
  const files = [...shippedFiles(join(root, "src")), ...shippedFiles(join(root, "bin"))];

  it("finds the shipped sources", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("uses no eval, Function constructor, node:vm, string timer or computed import", () => {
    const offences: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const stripped = codeOf(text);
      for (const [what, re] of FORBIDDEN) {
        // node:vm is matched in the raw text: its name is a string literal.
        if (re.test(what === "node:vm" ? text : stripped)) {
          offences.push(`${relative(root, file)} uses ${what}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it("would catch each of them", () => {
    const samples = [
      "const f = eval(received);",
      "const f = new Function('return 1');",
      'import { runInNewContext } from "node:vm";',
      "setTimeout('doIt()', 5);",
      "await import(name);",
    ];
    for (const [i, [, re]] of FORBIDDEN.entries()) {
      const sample = samples[i];
      expect(re.test(i === 2 ? sample : codeOf(sample)), sample).toBe(true);
    }
    expect(codeOf('x.evaluate(w); // eval(x)\nconst s = "eval(";')).not.toMatch(FORBIDDEN[0][1]);
  });
});
