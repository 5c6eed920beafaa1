import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LinkCondition, LinkShaper } from "./link-condition.js";
import { sh } from "./shell.js";
import type { StarHost, StarNetwork } from "./star-network.js";

const EMULATOR = fileURLToPath(new URL("./link-emulator.py", import.meta.url));
/** NFQUEUE numbers: link k uses BASE + 2k (from the host) and BASE + 2k + 1 (to the host). */
const BASE = 10;

/**
 * Link conditions for kernels without sch_netem: in the router's namespace, iptables hands every
 * packet forwarded over a shaped host's link to NFQUEUE, and link-emulator.py (python3, standard
 * library only) holds it for the delay +- jitter or drops it. `--queue-bypass`: should the
 * emulator be gone, packets pass untouched. Only the given hosts' links are shaped, so a packet
 * between a shaped host and an unshaped one (the aggregator) crosses exactly one emulated link.
 */
export class NfqueueShaper implements LinkShaper {
  readonly kind = "nfqueue";
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly waiters: (() => void)[] = [];
  private stderr = "";

  private constructor(child: ChildProcess) {
    this.child = child;
    let partial = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop()!;
      this.lines.push(...parts);
      for (const w of this.waiters.splice(0)) w();
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    child.on("exit", () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async start(net: StarNetwork, shaped: readonly StarHost[], seed = 1) {
    for (const h of shaped) {
      for (const [dir, queue] of [
        ["-i", BASE + 2 * h.link],
        ["-o", BASE + 2 * h.link + 1],
      ] as const) {
        await sh("ip", [
          "netns",
          "exec",
          net.router,
          "iptables",
          "-A",
          "FORWARD",
          dir,
          h.routerDev,
          "-j",
          "NFQUEUE",
          "--queue-num",
          String(queue),
          "--queue-bypass",
        ]);
      }
    }
    const links = Math.max(0, ...shaped.map((h) => h.link)) + 1;
    const child = spawn(
      "ip",
      [
        "netns",
        "exec",
        net.router,
        "python3",
        EMULATOR,
        "--base",
        String(BASE),
        "--links",
        String(links),
        "--seed",
        String(seed),
      ],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    const shaper = new NfqueueShaper(child);
    await shaper.nextLine("ready");
    return shaper;
  }

  async set(host: StarHost, c: LinkCondition): Promise<void> {
    const want = this.lines.length + 1;
    this.child.stdin!.write(
      `${JSON.stringify({ link: host.link, delayMs: c.delayMs, jitterMs: c.jitterMs, loss: c.loss })}\n`,
    );
    await this.nextLine("ok", want);
  }

  async dropped(): Promise<number> {
    const want = this.lines.length + 1;
    this.child.stdin!.write(`${JSON.stringify({ stats: true })}\n`);
    await this.nextLine(undefined, want);
    return (JSON.parse(this.lines[want - 1]) as { dropped: number }).dropped;
  }

  /** Ends the emulator (it lets what it holds through first). Never throws. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.kill(), 3000);
    await exited;
    clearTimeout(timer);
  }

  private kill(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  /** Waits until line number `count` (1-based) is there, and is `text` unless undefined. */
  private nextLine(text: string | undefined, count = 1): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail("no answer within 10 s"), 10_000);
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`link-emulator.py: ${why}: ${this.lines.join(" | ")} ${this.stderr}`));
      };
      const check = () => {
        if (this.lines.length >= count) {
          clearTimeout(timer);
          if (text === undefined || this.lines[count - 1] === text) resolve();
          else fail(`expected "${text}"`);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          fail("exited");
        } else this.waiters.push(check);
      };
      check();
    });
  }
}
