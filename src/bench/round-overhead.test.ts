import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatRoundOverhead, runRoundOverheadBench } from "./round-overhead.js";

const dist = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

describe("runRoundOverheadBench", () => {
  it("times b of tau-1 rounds with five node processes, and a raw TCP ping of the same bytes", async () => {
    if (!existsSync(dist)) {
      throw new Error(
        "This test starts `node bin/fedtau.js node`, which needs dist/: run `npm run build`",
      );
    }
    const r = await runRoundOverheadBench({ rounds: 30 });
    expect(r.nodes).toBe(5);
    expect(r.rounds).toBe(30);
    expect(r.modelSize).toBe(784);
    for (const v of [r.overheadMs, r.pingMs, r.wallMs, r.localMs]) {
      expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    // 784 float64 weights out; weights and gradient back.
    expect(r.roundStartBytes).toBeGreaterThan(784 * 8);
    expect(r.roundResultBytes).toBeGreaterThan(2 * 784 * 8);
    expect(formatRoundOverhead(r)).toContain("raw TCP ping of the same bytes");
  }, 60_000);
});
