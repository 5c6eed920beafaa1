import { execFile, execFileSync } from "node:child_process";

/** Runs a command to its end; rejects with its stderr when it fails. */
export function sh(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { encoding: "utf8", timeout: 20_000 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else
        reject(new Error(`${command} ${args.join(" ")} failed: ${stderr.trim() || error.message}`));
    });
  });
}

/** Runs a command, ignoring its failure (clean-up of what may already be gone). */
export async function shQuiet(command: string, args: readonly string[]): Promise<void> {
  try {
    await sh(command, args);
  } catch {
    // already gone
  }
}

/** Whether a command runs and exits 0 (for probes at collection time). */
export function succeeds(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, [...args], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
