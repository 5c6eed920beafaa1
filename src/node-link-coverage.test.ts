import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Every NodeLink in src runs the NodeLink conformance suite
 * (core/federation/test-support/node-link-conformance.ts): a new link (a browser's, a broker's)
 * is not done until a test file of its own hands the suite a harness for it.
 */
const srcDir = fileURLToPath(new URL(".", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The .ts files `file` imports by a relative path. */
function relativeImports(file: string, text: string): string[] {
  return [...text.matchAll(/from\s*["'](\.[^"']+)\.js["']/g)].map((m) =>
    join(dirname(file), `${m[1]}.ts`),
  );
}

describe("NodeLink conformance coverage", () => {
  const all = files(srcDir);
  const isTest = (f: string) => f.endsWith(".test.ts") || f.includes("test-support");
  const links = all
    .filter((f) => !isTest(f))
    .flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/class\s+(\w+)\s+implements\s+NodeLink\b/g)].map(
        (m) => ({ name: m[1], file: relative(srcDir, f) }),
      ),
    );
  // A suite's text: its test file and the modules it imports (the harness, usually).
  const suites = all
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => ({ f, text: readFileSync(f, "utf8") }))
    .filter(({ text }) => /\bnodeLinkConformance\(/.test(text))
    .map(({ f, text }) => [text, ...relativeImports(f, text).map((i) => readFileSync(i, "utf8"))]);

  it("finds the links of src (the in-process one, the WebSocket one)", () => {
    expect(links.map((l) => l.name)).toEqual(
      expect.arrayContaining(["InProcessLink", "WebSocketLink"]),
    );
  });

  it("runs the suite against every one of them", () => {
    const uncovered = links
      .filter(
        (l) => !suites.some((texts) => texts.some((t) => new RegExp(`\\b${l.name}\\b`).test(t))),
      )
      .map((l) => `${l.name} (${l.file})`);
    expect(uncovered).toEqual([]);
  });
});
