/**
 * `npm run soak`: the full soak, 10,000 rounds with nodes dropping and rejoining; prints the
 * aggregator's heap after round 1,000 and after the last round, and fails (exit 1) when the
 * second is more than 20% above the first. Options: --rounds N --checkpoint K --seed S.
 */
import { parseArgs } from "node:util";
import { runSoak } from "./soak-run.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "10000" },
    checkpoint: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
  },
});
const rounds = Number(values.rounds);
const checkpoint = Number(values.checkpoint);
const r = await runSoak({
  rounds,
  checkpoint,
  seed: Number(values.seed),
  onProgress: (m) => process.stderr.write(`${m}\n`),
});
const growth = (r.ratio - 1) * 100;
const pass = r.status === "completed" && r.rounds === rounds + 1 && r.ratio <= 1.2;
process.stdout.write(
  `${[
    `soak: ${r.rounds} rounds (${rounds} full + the evaluation one), ${r.status}, ${r.seconds.toFixed(1)} s`,
    `  nodes dropped ${r.drops} times and rejoined ${r.rejoins} times; ${r.roundsWithFailures} rounds with a node left out`,
    `  aggregator heap after a full GC: round ${checkpoint} ${r.heapAtCheckpointMb.toFixed(2)} MiB, round ${rounds} ${r.heapAtEndMb.toFixed(2)} MiB (${growth >= 0 ? "+" : ""}${growth.toFixed(1)}%, limit +20%)`,
    `  heap slope from round ${checkpoint} on: ${r.slopeBytesPerRound.toFixed(0)} bytes per round`,
    `  ArrayBuffers: ${r.arrayBuffersAtCheckpointMb.toFixed(2)} MiB -> ${r.arrayBuffersAtEndMb.toFixed(2)} MiB`,
    `  heap by round: ${r.samples.map((s) => `${s.round}: ${s.heapMb.toFixed(2)}`).join(", ")}`,
    pass ? "soak: PASS" : "soak: FAIL",
  ].join("\n")}\n`,
);
process.exit(pass ? 0 : 1);
