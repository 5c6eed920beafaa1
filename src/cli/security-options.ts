import { Option } from "commander";
import type { AggregatorOptions } from "../aggregator/aggregator.js";
import { loadNodeTokens } from "../aggregator/node-tokens.js";
import { loadServerTls } from "../transport/index.js";
import { integerArg } from "./learning-options.js";

/** Default of --max-messages-per-second: far above what a node sends (one result a round). */
export const DEFAULT_MAX_MESSAGES_PER_SECOND = 1000;

/** The aggregator's security flags (docs/security.md). */
export interface SecurityFlags {
  tlsCert?: string;
  tlsKey?: string;
  tokens?: string;
  maxMessagesPerSecond?: number;
  maxConnectionsPerAddress?: number;
}

/** `fedtau aggregator`'s security options, to add after --token. */
export function securityOptions() {
  return {
    tlsCert: new Option(
      "--tls-cert <file>",
      "serve wss:// (TLS) with this certificate (PEM, the chain if any); needs --tls-key",
    ),
    tlsKey: new Option("--tls-key <file>", "the private key (PEM) of --tls-cert"),
    tokens: new Option(
      "--tokens <file>",
      'per-node tokens: a JSON object {"NAME": "TOKEN"} or lines "NAME TOKEN"; a listed node must present its own token, any other the shared --token (refused without one)',
    ),
    maxMessagesPerSecond: new Option(
      "--max-messages-per-second <n>",
      "most messages one connection may send per second (bursts of one second's worth); over it: an Error rate-limited and a close; 0 = no limit",
    )
      .default(DEFAULT_MAX_MESSAGES_PER_SECOND)
      .argParser(integerArg("--max-messages-per-second", 0)),
    maxConnectionsPerAddress: new Option(
      "--max-connections-per-address <n>",
      "most open connections from one IP address; more get an Error too-many-connections; 0 = no limit",
    )
      .default(0)
      .argParser(integerArg("--max-connections-per-address", 0)),
  };
}

/** The aggregator options of the security flags; reads the files (throws a sentence if it cannot). */
export function securityOptionsOf(
  flags: SecurityFlags,
): Pick<
  AggregatorOptions,
  "tls" | "nodeTokens" | "maxMessagesPerSecond" | "maxConnectionsPerAddress"
> {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new Error("--tls-cert and --tls-key go together: give both, or neither");
  }
  const tls =
    flags.tlsCert === undefined || flags.tlsKey === undefined
      ? undefined
      : loadServerTls(flags.tlsCert, flags.tlsKey);
  const perSecond = flags.maxMessagesPerSecond ?? DEFAULT_MAX_MESSAGES_PER_SECOND;
  const perAddress = flags.maxConnectionsPerAddress ?? 0;
  return {
    ...(tls === undefined ? {} : { tls }),
    ...(flags.tokens === undefined ? {} : { nodeTokens: loadNodeTokens(flags.tokens) }),
    ...(perSecond > 0 ? { maxMessagesPerSecond: perSecond } : {}),
    ...(perAddress > 0 ? { maxConnectionsPerAddress: perAddress } : {}),
  };
}
