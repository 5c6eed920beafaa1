#!/usr/bin/env node
// The networked comparison of issue 9: an aggregator and five `fedtau node` processes on
// loopback, SGD batch 100, for each tau setting; reads each run's rounds.jsonl and reports how
// much of the budget (the measured spent time) each setting needed to reach 1.01 x the best test
// loss any run of the case reached (the aggregator's per-round test evaluation).
//
//   node scripts/network-time-to-target.mjs [--case 1] [--budget 12] [--repeats 2]
//                                            [--taus adaptive,10,50] [--control fedtau]
//                                            [--out DIR]
//
// Runs one setting at a time (nothing else of ours should run meanwhile: it measures time).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "fedtau.js");
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const kase = flag("case", "1");
const budget = flag("budget", "12");
const repeats = Number(flag("repeats", "2"));
const taus = flag("taus", "adaptive,10,50").split(",");
const control = flag("control", "fedtau");
const out = resolve(flag("out", join(root, "network-time-to-target")));

function run(cmd, argv) {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [bin, cmd, ...argv], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    p.stdout.on("data", (d) => {
      text += d;
    });
    p.on("exit", (code) => (code === 0 ? res(text) : rej(new Error(`${cmd} exited ${code}`))));
  });
}

async function oneRun(tau, k) {
  const dir = join(out, `case${kase}-${tau}-${k}`);
  mkdirSync(dir, { recursive: true });
  const port = String(7700 + Math.floor(Math.random() * 200));
  const agg = run("aggregator", [
    ...["--port", port, "--nodes", "5", "--case", kase, "--tau", tau, "--control", control],
    ...["--sgd", "100", "--budget", budget, "--out", dir, "--quiet"],
  ]);
  await new Promise((r) => setTimeout(r, 800));
  const nodes = [1, 2, 3, 4, 5].map((i) =>
    run("node", ["--aggregator", `ws://127.0.0.1:${port}`, "--name", `n${i}`, "--quiet"]),
  );
  await Promise.all([agg, ...nodes]);
  return readFileSync(join(dir, "rounds.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

const runs = [];
for (let k = 1; k <= repeats; k++) {
  for (const tau of taus) runs.push({ tau, k, events: await oneRun(tau, k) });
}
let best = Number.POSITIVE_INFINITY;
for (const r of runs)
  for (const e of r.events) if (e.testLoss !== null) best = Math.min(best, e.testLoss);
const target = 1.01 * best;
console.log(
  `case ${kase}, budget ${budget} s, control ${control}: best test loss ${best.toFixed(5)}, target ${target.toFixed(5)}`,
);
for (const r of runs) {
  const hit = r.events.find((e) => e.testLoss !== null && e.testLoss <= target);
  const full = r.events.filter((e) => e.kind !== "evaluation");
  const iters = full.reduce((s, e) => s + e.tauDone.max, 0);
  const meanTau = full.reduce((s, e) => s + e.tauDone.max ** 2, 0) / Math.max(1, iters);
  console.log(
    `tau ${r.tau} #${r.k}: reached at ${hit ? hit.spent.time.toFixed(2) : "never"} s of budget (round ${hit?.round ?? "-"}), ${full.length} rounds, mean tau ${meanTau.toFixed(1)}, final test loss ${r.events.at(-1).testLoss?.toFixed(5)}`,
  );
}
