import { randomBytes } from "node:crypto";
import { networkInterfaces } from "node:os";
import { type Command, Option } from "commander";
import type { AggregatorOptions } from "../aggregator/aggregator.js";
import type { ControlMode } from "../core/control/control-mode.js";
import { type Budget, formatBudget } from "../core/federation/budget.js";
import { parseModelName } from "../core/models/create-model.js";
import { startAggregatorWithDashboard } from "../dashboard/aggregator-dashboard.js";
import { DEFAULT_SETTINGS } from "../experiment/experiment-options.js";
import { createMessageLog } from "../protocol/index.js";
import { DEFAULT_AGGREGATOR_PORT, dashboardLine } from "./aggregator-command.js";
import { budgetProblem } from "./budget-spec.js";
import { dashboardHostsOption } from "./dashboard-hosts-option.js";
import { DemoNodes } from "./demo-nodes.js";
import { budgetOption, controlOption, integerArg } from "./learning-options.js";

/**
 * The demo's defaults. The budget is measured time, which counts the nodes' compute and every
 * exchange; the small added delay keeps rounds at a pace a person can follow (about fifteen a
 * second) and makes a 60 s budget last about a minute of wall time.
 */
export const DEMO_DEFAULTS = { nodes: 5, budget: 60, delayMs: 30 } as const;

interface DemoFlags {
  port: number;
  nodes: number;
  budget: Budget;
  control: ControlMode;
  delay: number;
  openToLan?: boolean;
  adminToken?: string;
  dashboardAllowedHosts?: string[];
  quiet?: boolean;
}

/** Registers `fedtau demo` (= `npm start`). */
export function registerDemoCommand(program: Command): Command {
  return program
    .command("demo")
    .summary("the live demonstration: an aggregator with its dashboard and five node processes")
    .description(
      [
        "Starts the aggregator, which serves the dashboard on its own port, and",
        "--nodes `fedtau node --share-preview` processes on 127.0.0.1, each training",
        "on its part of the embedded MNIST (case 1 at start): smooth SVM even/odd,",
        "adaptive tau, a time --budget. When a run ends the next starts, so the page",
        "is always alive. The page's controls change the data distribution (case",
        "1-4: the run restarts), the added delay (every node or one), the budget,",
        "adaptive or fixed tau, and stop or start the runs. The terminal shows the",
        "protocol log (--quiet: none).",
        "",
        "The budget is measured time: the nodes' local updates plus every exchange",
        "(the added delay included), so a 60 s budget lasts about a minute;",
        "--budget time=60,bytes=5MB adds a byte budget (the page charts each budget's",
        "share spent, and its budget control changes the time). --delay",
        `sets the added delay at start (default ${DEMO_DEFAULTS.delayMs} ms, about fifteen rounds`,
        "a second).",
        "",
        "--open-to-lan listens on every interface: other machines can open the page",
        "and join as nodes (a Raspberry Pi, say) with the printed",
        "`fedtau node --aggregator ws://ADDRESS:PORT`; the controls then need the",
        "admin token printed at start (or --admin-token).",
        "",
        "Ctrl-C (or SIGTERM) stops the aggregator and every process the demo started.",
      ].join("\n"),
    )
    .addOption(
      new Option("--port <n>", "port of the dashboard and the node protocol")
        .default(DEFAULT_AGGREGATOR_PORT)
        .argParser(integerArg("--port", 0, 65535)),
    )
    .addOption(
      new Option("--nodes <n>", "node processes to start")
        .default(DEMO_DEFAULTS.nodes)
        .argParser(integerArg("--nodes", 1, 32)),
    )
    .addOption(budgetOption("budget of each run, measured", DEMO_DEFAULTS.budget))
    .addOption(controlOption())
    .addOption(
      new Option("--delay <ms>", "added communication delay on every node at start")
        .default(DEMO_DEFAULTS.delayMs)
        .argParser(integerArg("--delay", 0, 60_000)),
    )
    .option(
      "--open-to-lan",
      "listen on 0.0.0.0 so that other machines can open the page and join as nodes",
    )
    .addOption(
      new Option(
        "--admin-token <secret>",
        "the token the page's controls need (default: none on loopback, a random one with --open-to-lan)",
      ).env("FEDTAU_ADMIN_TOKEN"),
    )
    .addOption(dashboardHostsOption())
    .option("--quiet", "no protocol log in the terminal")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  npm start                       # = fedtau demo",
        "  fedtau demo --port 8080 --budget 30",
        "  fedtau demo --budget time=60,bytes=5MB",
        "  fedtau demo --open-to-lan       # then on a Pi: fedtau node --aggregator ws://ADDRESS:7420",
      ].join("\n"),
    )
    .action(async (flags: DemoFlags) => {
      const problem = budgetProblem(flags.budget, { adaptive: true });
      if (problem !== null) throw new Error(problem);
      process.exitCode = await demoAction(flags);
    });
}

/** The aggregator's options for the demo. */
export function demoAggregatorOptions(flags: DemoFlags): AggregatorOptions {
  return {
    host: flags.openToLan === true ? "0.0.0.0" : "127.0.0.1",
    port: flags.port,
    nodes: flags.nodes,
    runs: 0,
    setup: {
      model: parseModelName("svm"),
      dataset: "mnist",
      task: "even-odd",
      case: 1,
      tau: "adaptive",
      control: flags.control,
      eta: DEFAULT_SETTINGS.eta,
      phi: DEFAULT_SETTINGS.phi,
      seed: DEFAULT_SETTINGS.seed,
      budget: flags.budget,
    },
    delays: [{ target: "all", ms: flags.delay }],
  };
}

async function demoAction(flags: DemoFlags): Promise<number> {
  const line = (text: string) => process.stdout.write(`${text}\n`);
  const log = createMessageLog({ format: "text", quiet: flags.quiet === true, line });
  const lan = flags.openToLan === true;
  const adminToken = flags.adminToken || (lan ? randomBytes(12).toString("base64url") : undefined);
  const served = await startAggregatorWithDashboard(demoAggregatorOptions(flags), {
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(flags.dashboardAllowedHosts === undefined
      ? {}
      : { allowedHosts: flags.dashboardAllowedHosts }),
    ...(flags.quiet === true ? {} : { log: (e) => log.write(e) }),
  });
  const { port } = served;
  const local = `ws://127.0.0.1:${port}`;
  const nodes = new DemoNodes({ aggregator: local, count: flags.nodes, say: line });

  line(
    `fedtau demo: smooth SVM even/odd on the embedded MNIST, ${flags.nodes} node processes, adaptive tau, ${formatBudget(flags.budget)} budget per run (then the next run starts), ${flags.delay} ms added delay`,
  );
  line(dashboardLine(served.dashboardUrl, served.dashboard.access));
  if (lan) {
    const addresses = lanAddresses();
    if (addresses.length === 0) line("no LAN address found: only this machine can reach the demo");
    for (const a of addresses) {
      line(`on the LAN: dashboard http://${a}:${port}/`);
      line(`  other machines join with: npx fedtau node --aggregator ws://${a}:${port}`);
    }
    line(`admin token for the page's controls: ${adminToken}`);
  } else {
    line(`more nodes can join with: npx fedtau node --aggregator ${local}`);
  }
  line("Ctrl-C stops the aggregator and every node process");
  nodes.start();

  const onExit = () => nodes.killAll();
  process.on("exit", onExit);
  let stopped: (() => void) | undefined;
  const interrupted = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      nodes.killAll();
      process.exit(130);
    }
    line(`${sig}: stopping the nodes and the aggregator`);
    stopped?.();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await Promise.race([interrupted, served.aggregator.done]);
    await Promise.all([nodes.stop(), served.close()]);
    line("fedtau demo: stopped");
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", onExit);
  }
}

/** This machine's IPv4 addresses other machines can reach (not loopback). */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);
}
