import { type FedtauProcess, spawnFedtau } from "../../network/support/spawn-fedtau.js";

/** Starts `node bin/fedtau.js ARGS` inside network namespace `ns` (`ip netns exec`). */
export function fedtauInNetns(ns: string, args: readonly string[]): FedtauProcess {
  return spawnFedtau(args, { FEDTAU_TOKEN: "" }, ["ip", "netns", "exec", ns]);
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
