import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The installed command (it runs the compiled dist/), from src/cli/ or dist/cli/ alike. */
const BIN = fileURLToPath(new URL("../../bin/fedtau.js", import.meta.url));

/** How long a stopped node may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000;
/** Wait before starting a node again that exited by itself. */
const RESPAWN_MS = 2_000;

export interface DemoNodesOptions {
  /** ws://127.0.0.1:PORT */
  readonly aggregator: string;
  readonly count: number;
  /** Extra `fedtau node` arguments (e.g. --token). */
  readonly args?: readonly string[];
  /** One line for the terminal (starts, exits, a node's stderr). */
  readonly say: (text: string) => void;
}

interface Slot {
  readonly name: string;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The demo's edge nodes: one `fedtau node --share-preview` OS process per node, each started
 * again if it exits by itself while the demo runs. Each has an IPC channel to this process, so it
 * stops when the demo goes away even without a goodbye (killed); `stop()` ends them all (SIGTERM,
 * then SIGKILL after a grace period) and resolves once every one has exited.
 */
export class DemoNodes {
  private readonly slots: Slot[];
  private stopping = false;

  constructor(private readonly options: DemoNodesOptions) {
    this.slots = Array.from({ length: options.count }, (_, k) => ({
      name: `n${k + 1}`,
      child: undefined,
      exited: Promise.resolve(),
      timer: undefined,
    }));
  }

  /** The pids of the node processes running now. */
  get pids(): number[] {
    return this.slots.flatMap((s) => (s.child?.pid === undefined ? [] : [s.child.pid]));
  }

  start(): void {
    for (const slot of this.slots) this.spawn(slot);
  }

  /** Ends every node process; resolves when all have exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) {
      clearTimeout(slot.timer);
      signal(slot.child, "SIGTERM");
    }
    const killer = setTimeout(() => {
      for (const slot of this.slots) signal(slot.child, "SIGKILL");
    }, STOP_GRACE_MS);
    await Promise.all(this.slots.map((s) => s.exited));
    clearTimeout(killer);
  }

  /** Last resort on process exit: no node outlives the demo. */
  killAll(): void {
    this.stopping = true;
    for (const slot of this.slots) signal(slot.child, "SIGKILL");
  }

  private spawn(slot: Slot): void {
    const { aggregator, args = [], say } = this.options;
    const child = spawn(
      process.execPath,
      [
        BIN,
        "node",
        "--aggregator",
        aggregator,
        "--name",
        slot.name,
        "--share-preview",
        "--quiet",
        ...args,
      ],
      { stdio: ["ignore", "ignore", "pipe", "ipc"] },
    );
    slot.child = child;
    say(`node ${slot.name} started (pid ${child.pid ?? "?"})`);
    let rest = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const l of lines) if (l.trim() !== "") say(`[${slot.name}] ${l}`);
    });
    slot.exited = new Promise((resolve) => {
      child.once("exit", (code, sig) => {
        slot.child = undefined;
        if (!this.stopping) {
          say(
            `node ${slot.name} exited (${sig ?? code}); starting it again in ${RESPAWN_MS / 1000} s`,
          );
          slot.timer = setTimeout(() => {
            if (!this.stopping) this.spawn(slot);
          }, RESPAWN_MS);
        }
        resolve();
      });
      child.once("error", (error) => {
        say(`node ${slot.name} could not start: ${error.message}`);
        slot.child = undefined;
        resolve();
      });
    });
    // The IPC channel must not keep this process alive by itself.
    child.unref();
    child.channel?.unref();
  }
}

function signal(child: ChildProcess | undefined, sig: NodeJS.Signals): void {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(sig);
  } catch {
    // already gone
  }
}
