import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect } from "vitest";
import type { RunSummary } from "../../src/aggregator/run-summary.js";
import { itNeeds } from "../../src/test-support/prerequisite.js";
import {
  makeTestCertificates,
  OPENSSL,
  type TestCertificates,
} from "../../src/test-support/test-certificates.js";
import {
  exitWithin,
  type FedtauProcess,
  requireBuild,
  spawnFedtau,
} from "../network/support/spawn-fedtau.js";

/**
 * `fedtau aggregator --tls-cert --tls-key --tokens` and `fedtau node --ca` as processes on
 * 127.0.0.1, with a CA and certificate made by openssl for this run: two nodes with their own
 * tokens finish a run over wss://; a node that does not trust the certificate, one with another
 * node's token and one with an unknown name each exit 1, and the run is not disturbed.
 */
const itTls = itNeeds(OPENSSL);
/** Made by the first test that runs (hooks do not run when every test is skipped). */
let out: string | undefined;
const processes: FedtauProcess[] = [];
let certs: TestCertificates | undefined;

afterAll(() => {
  for (const p of processes) p.kill();
  certs?.remove();
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

function fedtau(args: readonly string[]): FedtauProcess {
  const p = spawnFedtau(args, { FEDTAU_TOKEN: "" });
  processes.push(p);
  return p;
}

async function listening(p: FedtauProcess): Promise<string> {
  for (let i = 0; i < 1500; i++) {
    const m = /listening on (wss?:\/\/[\d.]+:\d+)/.exec(p.stdout());
    if (m !== null) return m[1];
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`The aggregator did not start: ${p.stdout()} ${p.stderr()}`);
}

describe("TLS and per-node tokens, end to end", () => {
  itTls(
    "two nodes run over wss:// with their own tokens; wrong CA, stolen token and unknown name exit 1",
    async () => {
      requireBuild();
      certs = makeTestCertificates();
      out = mkdtempSync(join(tmpdir(), "fedtau-secure-"));
      const tokens = join(out, "tokens.txt");
      writeFileSync(tokens, "# node tokens\nn1 one-0f-a-kind\nn2 second-s3cret\n");
      const dir = join(out, "run");
      const aggregator = fedtau([
        "aggregator",
        "--port",
        "0",
        "--nodes",
        "2",
        "--tau",
        "5",
        "--rounds",
        "10",
        "--tls-cert",
        certs.certFile,
        "--tls-key",
        certs.keyFile,
        "--tokens",
        tokens,
        "--out",
        dir,
        "--quiet",
      ]);
      const url = await listening(aggregator);
      expect(url).toMatch(/^wss:\/\//);
      const node = (name: string, token: string, ca: string) =>
        fedtau([
          "node",
          "--aggregator",
          url,
          "--name",
          name,
          "--token",
          token,
          "--ca",
          ca,
          "--quiet",
        ]);

      // Refused before the run: each exits 1 and says why.
      const untrusting = node("n1", "one-0f-a-kind", certs.otherCaFile);
      const stolen = node("n2", "one-0f-a-kind", certs.caFile);
      const unknown = node("n9", "second-s3cret", certs.caFile);
      for (const p of [untrusting, stolen, unknown]) expect(await exitWithin(p, 20_000)).toBe(1);
      expect(untrusting.stderr()).toContain("Will not trust the aggregator");
      expect(stolen.stderr()).toContain('Cannot accept register from "n2": wrong token');
      expect(unknown.stderr()).toContain('Cannot accept register from "n9": wrong token');

      const n1 = node("n1", "one-0f-a-kind", certs.caFile);
      const n2 = node("n2", "second-s3cret", certs.caFile);
      expect(await exitWithin(aggregator, 60_000), aggregator.stderr()).toBe(0);
      for (const n of [n1, n2]) expect(await exitWithin(n, 10_000), n.stderr()).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
      expect(summary.status).toBe("completed");
      expect(summary.nodes.map((n) => n.name).sort()).toEqual(["n1", "n2"]);
      expect(summary.testAccuracy).toBeGreaterThan(0.8);
    },
    90_000,
  );

  itTls("a node refuses --ca with a plain ws:// address", async () => {
    requireBuild();
    certs ??= makeTestCertificates();
    const p = fedtau(["node", "--aggregator", "ws://127.0.0.1:1", "--ca", certs.caFile]);
    expect(await exitWithin(p, 10_000)).toBe(2);
    expect(p.stderr()).toContain("--ca needs a wss:// aggregator address");
  });
});
