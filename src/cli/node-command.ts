import { hostname } from "node:os";
import { type Command, Option } from "commander";
import {
  checkNodeName,
  defaultNodeName,
  EdgeNode,
  MAX_NODE_COUNT,
  NodeGroup,
  ownDataSpec,
} from "../node/index.js";
import { createMessageLog, DEFAULT_MAX_MESSAGE_BYTES, type LogFormat } from "../protocol/index.js";
import { loadCa } from "../transport/index.js";
import { argParser, integerArg } from "./learning-options.js";

interface NodeFlags {
  aggregator: string;
  name?: string;
  token?: string;
  data?: string;
  delay: number;
  sharePreview?: boolean;
  log: LogFormat;
  quiet?: boolean;
  maxMessageBytes: number;
  count?: number;
  ca?: string;
}

/** Registers `fedtau node`: an edge node that trains on its local data for an aggregator. */
export function registerNodeCommand(program: Command): Command {
  return program
    .command("node")
    .summary("run an edge node: train on local data for an aggregator")
    .description(
      [
        "Connects to the aggregator at --aggregator, registers under --name, and for",
        "each run receives the learning setup, loads its data (the part of the named",
        "data set the setup assigns to it, computed locally, or its own --data),",
        "answers ready, then runs tau local updates per round and reports.",
        "Raw samples never leave the node (unless --share-preview).",
        "",
        "Reconnects with back-off (250 ms doubling to 10 s, jittered) when the",
        "connection drops, and registers again. Exits 0 when the aggregator stops it",
        "(or closes normally after a run), non-zero when refused (wrong token,",
        "wrong protocol version, bad name).",
        "",
        "Prints one line per protocol message sent (->) or received (<-): time (UTC),",
        "peer, type, run, round, tau, size, and for results the loss and estimates.",
      ].join("\n"),
    )
    .requiredOption(
      "--aggregator <url>",
      "the aggregator's address, ws://HOST:PORT (wss://HOST:PORT with TLS)",
      argParser(parseAggregatorUrl),
    )
    .option(
      "--name <name>",
      "this node's name, unique among the aggregator's nodes: 1-64 of A-Z a-z 0-9 . _ - (default: HOST-PID)",
      argParser(checkNodeName),
    )
    .addOption(
      new Option("--token <secret>", "shared secret the aggregator asks for (default: none)").env(
        "FEDTAU_TOKEN",
      ),
    )
    .option(
      "--ca <file>",
      "with wss://: trust the aggregator's certificate when signed by this CA (PEM), e.g. a self-signed one; a certificate it does not trust ends the node (exit 1)",
      argParser(loadCa),
    )
    .option(
      "--data <spec>",
      'train on this node\'s own data instead of the assigned part: "csv:FILE", "idx:DIR" or a path',
      argParser(ownDataSpec),
    )
    .addOption(
      new Option(
        "--delay <ms>",
        "added communication delay on every message, both directions, in milliseconds",
      )
        .default(0)
        .argParser(argParser(parseDelay)),
    )
    .option(
      "--share-preview",
      "send a few of this node's samples in Ready, for the dashboard (off: a real node sends none)",
    )
    .addOption(
      new Option("--log <format>", "protocol log: readable lines, or one JSON object per line")
        .choices(["text", "json"])
        .default("text"),
    )
    .option("--quiet", "no protocol log; only errors (on stderr)")
    .addOption(
      new Option("--max-message-bytes <n>", "largest frame accepted from the aggregator")
        .default(DEFAULT_MAX_MESSAGE_BYTES)
        .argParser(integerArg("--max-message-bytes", 1024)),
    )
    .addOption(
      new Option(
        "--count <k>",
        "run K node clients in this process, named NAME-1 .. NAME-K, each with its own connection and data part (load tests)",
      ).argParser(integerArg("--count", 1, MAX_NODE_COUNT)),
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  fedtau node --aggregator ws://127.0.0.1:7070 --name n1",
        "  fedtau node --aggregator ws://127.0.0.1:7070 --name load --count 200 --quiet",
        "  FEDTAU_TOKEN=s3cret fedtau node --aggregator ws://pi-hub:7070 --name kitchen --delay 50",
        "  fedtau node --aggregator ws://10.0.0.2:7070 --data csv:readings.csv --log json",
        "  fedtau node --aggregator wss://10.0.0.2:7420 --ca ca.pem --name kitchen --token k-3f9",
      ].join("\n"),
    )
    .action(async (flags: NodeFlags) => {
      process.exit(await nodeAction(flags));
    });
}

async function nodeAction(flags: NodeFlags): Promise<number> {
  const log = createMessageLog({
    format: flags.log,
    quiet: flags.quiet === true,
    line: (text) => process.stdout.write(`${text}\n`),
  });
  const common = {
    aggregator: flags.aggregator,
    token: flags.token ?? "",
    ...(flags.data === undefined ? {} : { ownData: flags.data }),
    delayMs: flags.delay,
    sharePreview: flags.sharePreview === true,
    maxMessageBytes: flags.maxMessageBytes,
    ...(flags.ca === undefined ? {} : { ca: flags.ca }),
    log,
  };
  const name = flags.name ?? defaultNodeName(hostname(), process.pid);
  if (flags.ca !== undefined && !flags.aggregator.startsWith("wss:")) {
    process.stderr.write("fedtau node: --ca needs a wss:// aggregator address\n");
    return 2;
  }
  let node: EdgeNode | NodeGroup;
  try {
    node =
      flags.count === undefined
        ? new EdgeNode({ ...common, id: name })
        : new NodeGroup({ ...common, baseName: name, count: flags.count });
  } catch (error) {
    process.stderr.write(`fedtau node: ${error instanceof Error ? error.message : error}\n`);
    return 2;
  }
  let signalled: number | undefined;
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    signalled = code;
    node.stop(`Stopped by ${signal}`);
  };
  const onInt = onSignal("SIGINT", 130);
  const onTerm = onSignal("SIGTERM", 143);
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  // Started by `fedtau demo` (an IPC channel to it): stop when the demo goes, even if killed.
  const onOrphaned = () => node.stop("The fedtau demo that started this node has gone");
  process.channel?.unref();
  process.once("disconnect", onOrphaned);
  const exit = await node.run();
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);
  process.off("disconnect", onOrphaned);
  // The log's last line says how the node ended; a refusal is also said on stderr, even when quiet.
  if (exit.code !== 0) process.stderr.write(`fedtau node: ${exit.message}\n`);
  return signalled ?? exit.code;
}

function parseAggregatorUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--aggregator needs a ws://HOST:PORT address, got "${text}"`);
  }
  if ((url.protocol !== "ws:" && url.protocol !== "wss:") || url.hostname === "") {
    throw new Error(`--aggregator needs a ws://HOST:PORT address, got "${text}"`);
  }
  return text;
}

function parseDelay(text: string): number {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new Error(`--delay needs a number of milliseconds >= 0, got "${text}"`);
  }
  return n;
}
