import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/** The generated TypeScript must be what proto/fedtau.proto gives now (`npm run gen:proto`). */
const root = fileURLToPath(new URL("../../", import.meta.url));
const committed = join(root, "src", "protocol", "gen");
const buf = join(root, "node_modules", "@bufbuild", "buf", "bin", "buf");

function whyBufCannotRun(): string | undefined {
  try {
    execFileSync(process.execPath, [buf, "--version"], { stdio: "pipe", timeout: 30_000 });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0] : String(e);
  }
}

const reason = whyBufCannotRun();
if (reason !== undefined) {
  console.warn(`Skipping the generated-code freshness check: buf cannot run here (${reason})`);
}

describe("generated protocol code", () => {
  const out = mkdtempSync(join(tmpdir(), "fedtau-gen-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.skipIf(reason !== undefined)("is current with proto/fedtau.proto", () => {
    execFileSync(process.execPath, [join(root, "scripts", "gen-proto.mjs"), "--output", out], {
      cwd: root,
      stdio: "pipe",
    });
    const fresh = join(out, "src", "protocol", "gen");
    const generated = readdirSync(fresh).sort();
    expect(generated).toEqual(["fedtau_pb.ts"]);
    for (const name of generated) {
      const now = readFileSync(join(fresh, name), "utf8");
      const then = readFileSync(join(committed, name), "utf8");
      expect(then === now, `${name} is stale: run npm run gen:proto`).toBe(true);
    }
  });
});
