import { describe, expect, it } from "vitest";
import { runSoak } from "./soak-run.js";

/**
 * The soak, scaled down (`npm run soak` runs 10,000 rounds, checkpoint at 1,000): 2,000 short
 * rounds with nodes dropping and rejoining at random (seeded), the aggregator's heap measured
 * after a full GC. The checkpoint is at round 1,000, once the run result's window of recent
 * events (1,000) is full; from there on the heap must stay flat: within 20% (the criterion),
 * and with no trend: under 600 bytes a round (an unbounded list of round events, the leak this
 * caught, grows it by about 1.1 KB a round; what is left settles within about 0.2 MB, under
 * 200 bytes a round over these 1,000 rounds and flat over the full 10,000).
 */
describe("soak, scaled down", () => {
  it("keeps the aggregator's heap flat over 2,000 rounds with nodes dropping and rejoining", async () => {
    const r = await runSoak({ rounds: 2000, checkpoint: 1000, sampleEvery: 100, seed: 3 });
    expect(r.status).toBe("completed");
    expect(r.rounds).toBe(2001);
    expect(r.drops).toBeGreaterThan(5);
    expect(r.rejoins).toBeGreaterThan(0);
    expect(r.roundsWithFailures).toBeGreaterThan(0);
    expect(r.ratio).toBeLessThanOrEqual(1.2);
    expect(r.slopeBytesPerRound).toBeLessThan(600);
    console.log(
      `soak: heap ${r.heapAtCheckpointMb.toFixed(2)} MiB at round 1000, ${r.heapAtEndMb.toFixed(2)} MiB at round 2000, slope ${r.slopeBytesPerRound.toFixed(0)} B/round, ${r.drops} drops; ${r.samples.map((s) => s.heapMb.toFixed(2)).join(" ")}`,
    );
  }, 60_000);
});
