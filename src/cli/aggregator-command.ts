import { type Command, Option } from "commander";
import { Aggregator, type AggregatorOptions, type RunVariant } from "../aggregator/aggregator.js";
import { loadResumePoint } from "../aggregator/checkpoint-resume.js";
import { type DelaySetting, parseDelaySetting } from "../aggregator/delay-table.js";
import { DEFAULT_BUDGET_SECONDS } from "../aggregator/learning-setup.js";
import { DEFAULT_ROUND_TIMEOUT_MS } from "../aggregator/round-deadline.js";
import type { ControlMode } from "../core/control/control-mode.js";
import type { TauMode } from "../core/control/tau-policy.js";
import type { DistributionCase } from "../core/data/partition.js";
import { startAggregatorWithDashboard } from "../dashboard/aggregator-dashboard.js";
import { parseCases } from "../experiment/case-setting.js";
import { parseTauModes } from "../experiment/tau-modes.js";
import {
  createMessageLog,
  DEFAULT_MAX_MESSAGE_BYTES,
  formatLogJson,
  type LogEntry,
  type LogFormat,
  noteLogEntry,
} from "../protocol/index.js";
import { MAX_NODES_PER_RUN } from "../protocol/limits.js";
import { budgetProblem } from "./budget-spec.js";
import { dashboardHostsOption } from "./dashboard-hosts-option.js";
import {
  argParser,
  controlOption,
  integerArg,
  type LearningFlags,
  learningOptions,
  positiveArg,
} from "./learning-options.js";
import { resumedOptions } from "./resume-options.js";
import { type SecurityFlags, securityOptions, securityOptionsOf } from "./security-options.js";

export const DEFAULT_AGGREGATOR_PORT = 7420;
export const DEFAULT_AGGREGATOR_OUT = "./aggregator-out";

interface AggregatorFlags extends LearningFlags, SecurityFlags {
  host: string;
  port: number;
  nodes: number;
  minNodes?: number;
  runs?: number;
  case: DistributionCase[];
  tau: TauMode[];
  control: ControlMode;
  rounds?: number;
  roundTimeout: number;
  maxMessageBytes: number;
  token?: string;
  delay: DelaySetting[];
  out: string;
  log: LogFormat;
  quiet?: boolean;
  resume?: string;
  dashboard?: boolean;
  adminToken?: string;
  dashboardAllowedHosts?: string[];
}

/** Registers `fedtau aggregator`. */
export function registerAggregatorCommand(program: Command): Command {
  const security = securityOptions();
  const command = program
    .command("aggregator")
    .summary("run the aggregator: wait for edge nodes, then run federated learning over WebSocket")
    .description(
      [
        "Listens for `fedtau node` processes, waits for --nodes of them, sends each its",
        "learning setup and its part of the data (an assignment: which rows of the named",
        "data set are its own; no sample is ever sent), then runs --runs runs of adaptive",
        "(or fixed) tau federated learning under a measured --budget (or --rounds).",
        "Every round the global model is evaluated on the test set. Per run it writes",
        "into --out DIR (DIR/run-<k>/ when there are several runs):",
        "  rounds.jsonl   one JSON round event per round (loss, accuracy, tau, estimates,",
        "                 costs c and b, budget spent, nodes reported and left out, and",
        "                 the controller's inputs and decision)",
        "  controller.json  the controller's config: with rounds.jsonl, a record that",
        "                 `fedtau replay DIR` checks decision by decision",
        "  summary.json   final loss, test accuracy, rounds, iterations, mean tau, budget",
        "                 and spent per resource, which one ended the run (binding:",
        "                 time, bytes or rounds), nodes",
        "  weights.json   the weights the run returns",
        "then sends Stop (with the final model) to the nodes, closes, and exits 0.",
        "",
        "Costs are measured: c from the nodes' local time, b = round wall time minus the",
        "slowest node's local time, bytes from the frames sent and received. A node that",
        "misses the round's deadline, disconnects or sends NaN weights is left out of",
        "that round and may rejoin (register again under its name) for the next one.",
        "--budget 30 is a time budget of 30 measured seconds per run; --budget",
        "time=30,bytes=3MB adds a byte budget (every frame the aggregator sends and",
        "receives in a round, WebSocket headers included): the run stops at whichever",
        "binds, and adaptive tau is searched under both.",
        "Terminal output: one line per message sent or received (--log json for JSON",
        "lines, --quiet for none); the first line gives the address.",
        "",
        "After every round DIR/checkpoint.json holds what the run needs to go on. If the",
        "aggregator dies (even kill -9), `fedtau aggregator --resume DIR` goes on with the",
        "same run from the round after the checkpoint: the nodes reconnect by themselves,",
        "the budget spent stays spent and rounds.jsonl keeps every round once.",
      ].join("\n"),
    )
    .addOption(new Option("--host <address>", "address to listen on").default("127.0.0.1"))
    .addOption(
      new Option("--port <n>", "port to listen on; 0 = any free port (the first line says which)")
        .default(DEFAULT_AGGREGATOR_PORT)
        .argParser(integerArg("--port", 0, 65535)),
    )
    .addOption(
      new Option("--nodes <n>", "start a run when this many nodes have registered")
        .default(5)
        .argParser(integerArg("--nodes", 1, MAX_NODES_PER_RUN)),
    )
    .addOption(
      new Option(
        "--min-nodes <n>",
        "or start with at least this many, once no node has registered for a second",
      ).argParser(integerArg("--min-nodes", 1)),
    )
    .addOption(
      new Option(
        "--runs <n>",
        "runs to make, 0 = until interrupted (default: one per --case x --tau combination)",
      ).argParser(integerArg("--runs", 0)),
    )
    .addOption(
      new Option(
        "--case <list>",
        "data distribution: 1 uniform, 2 non-uniform, 3 replicated, 4 mixed; a list (1,2,3,4) makes successive runs take each in turn",
      )
        .default([1], "1")
        .argParser(argParser(parseCases)),
    )
    .addOption(
      new Option(
        "--tau <list>",
        'tau: "adaptive" or a fixed number of local updates; a list (adaptive,5) makes successive runs take each in turn',
      )
        .default(["adaptive"], "adaptive")
        .argParser(argParser(parseTauModes)),
    )
    .addOption(controlOption());
  for (const o of learningOptions(
    `budget of each run, measured (default ${DEFAULT_BUDGET_SECONDS} s of time; none with --rounds and a fixed tau)`,
  )) {
    command.addOption(o);
  }
  return command
    .addOption(
      new Option(
        "--rounds <n>",
        "at most this many full rounds per run (then one evaluation-only round): for exact comparisons",
      ).argParser(integerArg("--rounds", 1)),
    )
    .addOption(
      new Option(
        "--round-timeout <seconds>",
        "longest a node is waited for in a round (the deadline is otherwise a multiple of the measured round time, at least 2 s); also how long Ready is awaited",
      )
        .default(DEFAULT_ROUND_TIMEOUT_MS / 1000)
        .argParser(positiveArg("--round-timeout")),
    )
    .addOption(
      new Option("--max-message-bytes <n>", "largest frame accepted from a node")
        .default(DEFAULT_MAX_MESSAGE_BYTES)
        .argParser(integerArg("--max-message-bytes", 1024)),
    )
    .addOption(
      new Option(
        "--token <secret>",
        "shared secret nodes must present; a node with another token is refused",
      ).env("FEDTAU_TOKEN"),
    )
    .addOption(security.tlsCert)
    .addOption(security.tlsKey)
    .addOption(security.tokens)
    .addOption(security.maxMessagesPerSecond)
    .addOption(security.maxConnectionsPerAddress)
    .addOption(
      new Option(
        "--delay <ms>",
        "added delay on every message to and from every node (MS) or one node (NODE=MS); repeatable",
      )
        .default([], "0")
        .argParser((text: string, previous: DelaySetting[]) => [
          ...previous,
          argParser(parseDelaySetting)(text),
        ]),
    )
    .option(
      "--out <dir>",
      "directory for the run files (created if missing)",
      DEFAULT_AGGREGATOR_OUT,
    )
    .addOption(
      new Option("--log <format>", "protocol log format: text lines or JSON lines")
        .choices(["text", "json"])
        .default("text"),
    )
    .option("--quiet", "no protocol log (the listening line and errors only)")
    .option(
      "--dashboard",
      "serve the live dashboard (charts, nodes, test digits, controls, log) on the same port: http://HOST:PORT/",
    )
    .addOption(
      new Option(
        "--admin-token <secret>",
        "with --dashboard: the page's controls need this token (without one they are disabled whenever --host is beyond loopback)",
      ).env("FEDTAU_ADMIN_TOKEN"),
    )
    .addOption(dashboardHostsOption())
    .option(
      "--resume <dir>",
      "go on with the run whose --out directory is DIR, from its checkpoint.json (what to run comes from the checkpoint)",
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  fedtau aggregator --nodes 5 --budget 15 --out results/net",
        "  fedtau aggregator --nodes 5 --budget time=30,bytes=3MB --out results/bytes",
        "  fedtau aggregator --port 0 --case 1,2,3,4 --tau adaptive,5 --budget 5 --quiet",
        "  fedtau aggregator --tau 5 --sgd 100 --rounds 50 --delay 100 --delay n3=500",
        "  FEDTAU_TOKEN=s3cret fedtau aggregator --host 0.0.0.0 --runs 0",
        "  fedtau aggregator --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem --tokens tokens.txt",
        "  fedtau aggregator --resume results/net --port 7420   # after a crash",
      ].join("\n"),
    )
    .action(async (flags: AggregatorFlags) => {
      const given = (name: string) => {
        const source = command.getOptionValueSource(name);
        return source === "cli" || source === "env";
      };
      process.exitCode = await aggregatorAction(flags, given);
    });
}

/** The aggregator's options from its flags. */
export function aggregatorOptionsOf(flags: AggregatorFlags): AggregatorOptions {
  const variants: RunVariant[] = [];
  for (const c of flags.case) for (const t of flags.tau) variants.push({ case: c, tau: t });
  if (flags.budget !== undefined) {
    const problem = budgetProblem(flags.budget, {
      adaptive: flags.tau.includes("adaptive"),
      rounds: flags.rounds !== undefined,
    });
    if (problem !== null) throw new Error(problem);
  }
  if (flags.minNodes !== undefined && flags.minNodes > flags.nodes) {
    throw new Error(`--min-nodes (${flags.minNodes}) cannot be more than --nodes (${flags.nodes})`);
  }
  return {
    host: flags.host,
    port: flags.port,
    nodes: flags.nodes,
    ...(flags.minNodes === undefined ? {} : { minNodes: flags.minNodes }),
    runs: flags.runs ?? variants.length,
    setup: {
      model: flags.model,
      dataset: flags.dataset,
      task: flags.task,
      case: variants[0].case,
      tau: variants[0].tau,
      control: flags.control,
      ...(flags.sgd === undefined ? {} : { sgd: flags.sgd }),
      eta: flags.eta,
      phi: flags.phi,
      seed: flags.seed,
      ...(flags.budget === undefined ? {} : { budget: flags.budget }),
      ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
    },
    ...(variants.length > 1 ? { variants } : {}),
    roundTimeoutMs: Math.round(flags.roundTimeout * 1000),
    maxMessageBytes: flags.maxMessageBytes,
    ...(flags.token === undefined || flags.token === "" ? {} : { token: flags.token }),
    ...securityOptionsOf(flags),
    delays: flags.delay,
    out: flags.out,
  };
}

async function aggregatorAction(
  flags: AggregatorFlags,
  given: (name: string) => boolean,
): Promise<number> {
  const line = (text: string) => process.stdout.write(`${text}\n`);
  const log = createMessageLog({ format: flags.log, quiet: flags.quiet === true, line });
  const flagged = aggregatorOptionsOf(flags);
  const options =
    flags.resume === undefined
      ? flagged
      : resumedOptions(flagged, await loadResumePoint(flags.resume), given);
  const terminal = flags.quiet === true ? undefined : (e: LogEntry) => log.write(e);
  const served =
    flags.dashboard === true
      ? await startAggregatorWithDashboard(options, {
          ...(flags.adminToken ? { adminToken: flags.adminToken } : {}),
          ...(flags.dashboardAllowedHosts === undefined
            ? {}
            : { allowedHosts: flags.dashboardAllowedHosts }),
          ...(terminal === undefined ? {} : { log: terminal }),
        })
      : undefined;
  const aggregator =
    served?.aggregator ??
    (await Aggregator.start({ ...options, ...(terminal === undefined ? {} : { log: terminal }) }));
  const say = (text: string) =>
    line(flags.log === "json" ? formatLogJson(noteLogEntry(Date.now(), "info", text)) : text);
  say(`fedtau aggregator listening on ${aggregator.url}`);
  if (served !== undefined) say(dashboardLine(served.dashboardUrl, served.dashboard.access));

  let interrupted = 0;
  const onSignal = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    void (served?.close() ?? aggregator.close());
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const summaries = await aggregator.done;
    return summaries.some((s) => s.status === "failed") ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Where the dashboard is, and who may use its controls. */
export function dashboardLine(url: string, access: "open" | "token" | "disabled"): string {
  const controls =
    access === "open"
      ? "controls open on loopback"
      : access === "token"
        ? "controls need the admin token"
        : "controls disabled: give --admin-token to use them beyond loopback";
  return `dashboard on ${url} (${controls})`;
}
