import { spawn } from "node:child_process";
import { BIN, type FedtauProcess, ROOT } from "../../network/support/spawn-fedtau.js";

/**
 * Starts `node bin/fedtau.js ARGS` inside network namespace `ns` (`ip netns exec`, which execs:
 * the child's pid is the fedtau process itself, so kill() reaches it).
 */
export function fedtauInNetns(ns: string, args: readonly string[]): FedtauProcess {
  const child = spawn("ip", ["netns", "exec", ns, process.execPath, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, FEDTAU_TOKEN: "" },
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

/** Resolves once `p` has printed a line matching `re`; rejects if it exits first or after `ms`. */
export function printed(p: FedtauProcess, re: RegExp, ms = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const m = re.exec(p.stdout());
      if (m !== null) {
        clearInterval(timer);
        resolve(m[0]);
      } else if (p.child.exitCode !== null || Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`No ${re} from the process: ${p.stdout()} ${p.stderr()}`));
      }
    }, 20);
  });
}
