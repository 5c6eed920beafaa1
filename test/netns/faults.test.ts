import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect } from "vitest";
import type { RunSummary } from "../../src/aggregator/run-summary.js";
import { itNeeds } from "../../src/test-support/prerequisite.js";
import { exitWithin, type FedtauProcess, requireBuild } from "../network/support/spawn-fedtau.js";
import { fedtauInNetns, printed } from "./support/fedtau-in-netns.js";
import { CLEAN_LINK, type LinkCondition, type LinkShaper } from "./support/link-condition.js";
import { NetemShaper } from "./support/netem-shaper.js";
import { probeNetns } from "./support/netns-prerequisite.js";
import { NfqueueShaper } from "./support/nfqueue-shaper.js";
import { StarNetwork } from "./support/star-network.js";

/**
 * Real network faults between separate hosts on this machine: one network namespace per host
 * (the aggregator, five nodes) and a router namespace joined to each by a veth link. The link
 * emulator (tc netem where the kernel has it, else iptables NFQUEUE + link-emulator.py) adds
 * delay with jitter and packet loss per packet on the nodes' links, and `ip link set ... down`
 * cuts one node's link for several seconds. `fedtau aggregator` and `fedtau node` (dist/) run
 * in the namespaces with `ip netns exec`. Every run must finish with a sane model.
 */
const probe = probeNetns();
const itNetns = itNeeds(probe.prerequisite);

const NODES = ["n1", "n2", "n3", "n4", "n5"];
const PORT = 7420;
/** Test accuracy well above chance for the SVM on MNIST even/odd. */
const SANE_ACCURACY = 0.8;
const DELAY: LinkCondition = { delayMs: 100, jitterMs: 20, loss: 0 };
const LOSSY: LinkCondition = { delayMs: 20, jitterMs: 10, loss: 0.05 };
/** Longer than the round deadline's cap (--round-timeout 3), so the cut node misses a round. */
const CUT_MS = 5000;

/** Made by the first test that runs (hooks do not run when every test is skipped). */
let out: string | undefined;
const processes: FedtauProcess[] = [];
let lab: { net: StarNetwork; shaper: LinkShaper | undefined } | undefined;

afterAll(async () => {
  for (const p of processes) p.kill();
  await Promise.all(processes.map((p) => exitWithin(p, 5000).catch(() => undefined)));
  await lab?.shaper?.close();
  await lab?.net.destroy();
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
}, 30_000);

/** The star and its shaper, made once for the file (and removed in afterAll, even on failure). */
async function theLab(): Promise<{ net: StarNetwork; shaper: LinkShaper }> {
  if (lab === undefined) {
    lab = { net: await StarNetwork.create(["agg", ...NODES]), shaper: undefined };
    const nodeHosts = NODES.map((n) => lab!.net.host(n));
    lab.shaper =
      probe.shaper === "netem"
        ? new NetemShaper(lab.net)
        : await NfqueueShaper.start(lab.net, nodeHosts);
  }
  return lab as { net: StarNetwork; shaper: LinkShaper };
}

async function onEveryNodeLink(condition: LinkCondition): Promise<void> {
  const { net, shaper } = await theLab();
  for (const n of NODES) await shaper.set(net.host(n), condition);
}

interface RoundLine {
  readonly round: number;
  readonly tau: number;
  readonly reported: readonly string[];
  readonly failed: readonly { id: string; code: string }[];
  readonly costs: { time: { b: number } };
}

function roundLines(dir: string): RoundLine[] {
  const file = join(dir, "rounds.jsonl");
  if (!existsSync(file)) return [];
  // Whole lines only: the aggregator may be writing the next one.
  const whole = readFileSync(file, "utf8").split("\n").slice(0, -1);
  return whole.filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as RoundLine);
}

/**
 * One run: the aggregator on its host, the five nodes on theirs, dialling its 10.77 address
 * through the router; `during` runs while the run is under way.
 */
async function run(
  name: string,
  args: readonly string[],
  during?: (dir: string) => Promise<void>,
  nodeArgs: (name: string) => readonly string[] = () => [],
): Promise<{ summary: RunSummary; rounds: RoundLine[]; logs: Map<string, string> }> {
  const { net } = await theLab();
  const agg = net.host("agg");
  out ??= mkdtempSync(join(tmpdir(), "fedtau-netns-"));
  const dir = join(out, name);
  const aggregator = fedtauInNetns(agg.ns, [
    "aggregator",
    "--host",
    agg.address,
    "--port",
    String(PORT),
    "--nodes",
    String(NODES.length),
    "--case",
    "1",
    "--out",
    dir,
    "--quiet",
    ...args,
  ]);
  processes.push(aggregator);
  await printed(aggregator, /listening on ws:\/\/\S+/);
  const url = `ws://${agg.address}:${PORT}`;
  const nodes = NODES.map((n) =>
    fedtauInNetns(net.host(n).ns, ["node", "--aggregator", url, "--name", n, ...nodeArgs(n)]),
  );
  processes.push(...nodes);
  await during?.(dir);
  const code = await exitWithin(aggregator, 90_000);
  expect(code, `${aggregator.stdout()}\n${aggregator.stderr()}`).toBe(0);
  for (const [i, n] of nodes.entries()) {
    const exit = await exitWithin(n, 20_000).catch((e: Error) => e.message);
    expect(exit, `${NODES[i]}: ${n.stdout().split("\n").slice(-15).join("\n")}`).toBe(0);
  }
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
  expect(summary.status).toBe("completed");
  expect(summary.testAccuracy).toBeGreaterThan(SANE_ACCURACY);
  const logs = new Map(NODES.map((name, i) => [name, nodes[i].stdout()]));
  return { summary, rounds: roundLines(dir), logs };
}

/** Each node's own token, `token-of-NAME`, in a file for --tokens. */
function tokensFile(): string {
  out ??= mkdtempSync(join(tmpdir(), "fedtau-netns-"));
  const file = join(out, "tokens.txt");
  writeFileSync(file, NODES.map((n) => `${n} token-of-${n}\n`).join(""));
  return file;
}

const median = (v: readonly number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];

/** Resolves once rounds.jsonl in `dir` has at least `n` rounds (polling). */
async function roundsWritten(dir: string, n: number): Promise<void> {
  for (let i = 0; i < 1500 && roundLines(dir).length < n; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  if (roundLines(dir).length < n) throw new Error(`Fewer than ${n} rounds in ${dir}`);
}

describe(`fedtau across network namespaces (${probe.shaper ?? "no link emulator"})`, () => {
  itNetns(
    "delay with jitter on every node's link: every run finishes, and b and the chosen tau grow",
    async () => {
      requireBuild();
      const budget = ["--tau", "adaptive", "--budget", "3"];
      await onEveryNodeLink(CLEAN_LINK);
      const clean = await run("clean", budget);
      await onEveryNodeLink(DELAY);
      const delayed = await run("delayed", budget);
      await onEveryNodeLink(CLEAN_LINK);

      const b = (r: { rounds: RoundLine[] }) => median(r.rounds.map((l) => l.costs.time.b));
      // Every aggregation needs at least one round trip over a delayed link: 2 x (100 - 20) ms.
      expect(b(delayed)).toBeGreaterThanOrEqual(0.16);
      expect(b(delayed)).toBeGreaterThan(b(clean));
      expect(delayed.summary.meanTau).toBeGreaterThan(clean.summary.meanTau);
      console.info(
        `netns (${probe.shaper}): median b ${b(clean).toFixed(3)} s -> ${b(delayed).toFixed(3)} s, mean tau ${clean.summary.meanTau.toFixed(2)} -> ${delayed.summary.meanTau.toFixed(2)}`,
      );
    },
    100_000,
  );

  itNetns(
    "5% loss on every link and two links cut for seconds (one node loses its socket): the run finishes, both rejoin",
    async () => {
      requireBuild();
      const { net, shaper } = await theLab();
      await onEveryNodeLink(LOSSY);
      const droppedBefore = await shaper.dropped();
      let roundsAtRestore = -1;
      const lossy = await run(
        "lossy",
        [
          "--tau",
          "adaptive",
          "--rounds",
          "40",
          "--budget",
          "600",
          "--round-timeout",
          "3",
          // Per-node tokens: a node's own token lets its new connection replace a stale one.
          "--tokens",
          tokensFile(),
        ],
        async (dir) => {
          await roundsWritten(dir, 3);
          await net.cut("n3");
          await net.cut("n4");
          await new Promise((r) => setTimeout(r, 1000));
          // n4's host drops its connection state meanwhile (as after a network change): its
          // socket to the aggregator is destroyed, so it must reconnect and register again.
          await net.killSockets("n4", net.host("agg").address);
          await new Promise((r) => setTimeout(r, CUT_MS - 1000));
          await net.restore("n3");
          await net.restore("n4");
          roundsAtRestore = roundLines(dir).length;
        },
        (name) => ["--token", `token-of-${name}`],
      );
      const dropped = (await shaper.dropped()) - droppedBefore;
      await onEveryNodeLink(CLEAN_LINK);

      expect(dropped, "packets the links dropped").toBeGreaterThan(0);
      expect(lossy.summary.rounds).toBeGreaterThanOrEqual(40);
      const figures: string[] = [];
      for (const name of ["n3", "n4"]) {
        const failed = lossy.rounds.filter((l) => l.failed.some((f) => f.id === name));
        const back = lossy.rounds.slice(roundsAtRestore).filter((l) => l.reported.includes(name));
        expect(failed.length, `rounds that left ${name} out while cut`).toBeGreaterThan(0);
        expect(back.length, `rounds ${name} reported in after its link came back`).toBeGreaterThan(
          0,
        );
        const connections = (lossy.logs.get(name) ?? "").split("connected to ").length - 1;
        figures.push(
          `${name}: ${connections} connection(s), left out of ${failed.length} rounds, back in ${back.length} of the ${lossy.rounds.length - roundsAtRestore} after the cut`,
        );
      }
      // n3 kept its TCP connection through the cut; n4 had to open a new one.
      expect((lossy.logs.get("n4") ?? "").split("connected to ").length - 1).toBeGreaterThan(1);
      console.info(
        `netns (${probe.shaper}): ${dropped} packets dropped; ${figures.join("; ")}; accuracy ${lossy.summary.testAccuracy}`,
      );
    },
    100_000,
  );
});
