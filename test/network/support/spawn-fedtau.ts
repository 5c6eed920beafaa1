import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, and the installed command (it runs the compiled dist/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const BIN = join(ROOT, "bin", "fedtau.js");

/** Fails with what to do when dist/ has not been built. */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    throw new Error(
      "The network tests run `node bin/fedtau.js`, which needs dist/: run `npm run build` first",
    );
  }
}

/** A fedtau process: its output so far, and its exit. */
export interface FedtauProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** Kills it by its pid (if it still runs). */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `node bin/fedtau.js ARGS`; `via` runs it through a wrapper command that execs it (e.g.
 * `ip netns exec NS`), so the child's pid is still the fedtau process and kill() reaches it.
 */
export function spawnFedtau(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  via: readonly string[] = [],
): FedtauProcess {
  const [command, ...prefix] = [...via, process.execPath];
  const child = spawn(command, [...prefix, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(child.pid, signal);
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Starts `fedtau aggregator --port 0 ...` and resolves with it and its URL (from its first line). */
export async function startAggregator(
  args: readonly string[],
): Promise<{ aggregator: FedtauProcess; url: string }> {
  const aggregator = spawnFedtau(["aggregator", "--port", "0", ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (ws:\/\/[\d.]+:\d+)/.exec(aggregator.stdout());
      if (m !== null) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 20);
    void aggregator.exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`The aggregator exited (${code}) before listening: ${aggregator.stderr()}`));
    });
  });
  return { aggregator, url };
}

/** Starts `fedtau node --aggregator URL --name NAME --quiet ...`. */
export function startNode(url: string, name: string, args: readonly string[] = []): FedtauProcess {
  return spawnFedtau(["node", "--aggregator", url, "--name", name, "--quiet", ...args]);
}

/** Waits for a process to exit, failing after `ms`. */
export async function exitWithin(p: FedtauProcess, ms: number): Promise<number | string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No exit within ${ms} ms; stderr: ${p.stderr().slice(-2000)}`)),
      ms,
    );
  });
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
