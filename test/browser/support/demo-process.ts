import { readFileSync } from "node:fs";
import { type FedtauProcess, spawnFedtau } from "../../network/support/spawn-fedtau.js";

/** A `fedtau demo` process: its dashboard's URL and the pids of the node processes it started. */
export interface Demo {
  readonly process: FedtauProcess;
  readonly url: string;
  readonly nodePids: number[];
}

/** Starts `fedtau demo --port 0 ...`; resolves once it has said its URL and started its nodes. */
export async function startDemo(args: readonly string[], nodes: number): Promise<Demo> {
  const demo = spawnFedtau(["demo", "--port", "0", "--nodes", String(nodes), ...args]);
  for (;;) {
    const out = demo.stdout();
    const url = /dashboard on (http:\/\/[\d.]+:\d+\/)/.exec(out)?.[1];
    const pids = [...out.matchAll(/node n\d+ started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    if (url !== undefined && pids.length >= nodes) return { process: demo, url, nodePids: pids };
    if (demo.child.exitCode !== null || demo.child.signalCode !== null) {
      throw new Error(`fedtau demo exited early: ${demo.stderr()}${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process with this pid still runs (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Resolves once none of the pids runs (the test's timeout bounds the wait). */
export async function allGone(pids: readonly number[]): Promise<void> {
  while (pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
}
