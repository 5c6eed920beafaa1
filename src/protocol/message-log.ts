import type { ErrorCode } from "./error-codes.js";
import type { MessageType, ProtocolMessage, StopReasonName } from "./messages.js";

/**
 * The protocol log of the demo: one entry per message sent or received (and a few notes, such as
 * a node left out of a round), as a readable line for a terminal or as one JSON object per line
 * for `--log json`. Pure: the caller says where lines go. The aggregator, the nodes and the
 * dashboard all print the same entries.
 */

/** Which way a message went, seen from the process that logs it. */
export type LogDirection = "sent" | "received";

/** One message sent or received. Optional fields are present only for the types that have them. */
export interface MessageLogEntry {
  readonly kind: "message";
  /** Wall clock, milliseconds since 1970. */
  readonly time: number;
  readonly direction: LogDirection;
  /** The other side: a node's name, "aggregator", or an address before a node has registered. */
  readonly peer: string;
  readonly type: MessageType;
  /** Size of the frame on the wire, in bytes. */
  readonly bytes: number;
  readonly runId?: string;
  /** round-start, round-result. */
  readonly round?: number;
  /** round-start: tau ordered; round-result: tau done. */
  readonly tau?: number;
  /** round-start. */
  readonly lastRound?: boolean;
  readonly deadlineMs?: number;
  /** round-result: F_i(w(t0)), beta_i, rho_i, local time in seconds, D_i. */
  readonly loss?: number;
  readonly beta?: number;
  readonly rho?: number;
  readonly localSeconds?: number;
  readonly dataSize?: number;
  /** register. */
  readonly node?: string;
  /** setup. */
  readonly model?: string;
  readonly nodeIndex?: number;
  readonly nodeCount?: number;
  readonly adaptiveTau?: boolean;
  /** stop. */
  readonly reason?: StopReasonName;
  /** error. */
  readonly code?: ErrorCode;
  readonly text?: string;
}

/** Something that is not a message: a node left out of a round, a connection refused... */
export interface NoteLogEntry {
  readonly kind: "note";
  readonly time: number;
  readonly level: "info" | "warn";
  /** The node or connection it is about, when there is one. */
  readonly peer?: string;
  readonly text: string;
}

export type LogEntry = MessageLogEntry | NoteLogEntry;

/** Where and how a message went; `time` in milliseconds since 1970. */
export interface MessageCircumstances {
  readonly time: number;
  readonly direction: LogDirection;
  readonly peer: string;
  readonly bytes: number;
}

/** The log entry of one message: its type and the few fields worth a line. */
export function messageLogEntry(
  message: ProtocolMessage,
  at: MessageCircumstances,
): MessageLogEntry {
  const base = {
    kind: "message" as const,
    time: at.time,
    direction: at.direction,
    peer: at.peer,
    type: message.type,
    bytes: at.bytes,
    ...("runId" in message && message.runId !== undefined ? { runId: message.runId } : {}),
  };
  switch (message.type) {
    case "register":
      return { ...base, node: message.id };
    case "setup":
      return {
        ...base,
        model: message.model.kind,
        nodeIndex: message.data.nodeIndex,
        nodeCount: message.data.nodeCount,
        adaptiveTau: message.adaptiveTau,
      };
    case "ready":
      return { ...base, dataSize: message.dataSize };
    case "round-start":
      return {
        ...base,
        round: message.order.round,
        tau: message.order.tau,
        lastRound: message.order.lastRound,
        ...(message.deadlineMs === undefined ? {} : { deadlineMs: message.deadlineMs }),
      };
    case "round-result": {
      const r = message.report;
      return {
        ...base,
        round: r.round,
        tau: r.tauDone,
        loss: r.lossAtGlobal,
        localSeconds: r.localSeconds,
        dataSize: r.dataSize,
        ...(r.beta === undefined ? {} : { beta: r.beta }),
        ...(r.rho === undefined ? {} : { rho: r.rho }),
      };
    }
    case "stop":
      return { ...base, reason: message.reason };
    case "heartbeat":
      return base;
    case "error":
      return { ...base, code: message.code, text: message.message };
  }
}

/** A note for the log. */
export function noteLogEntry(
  time: number,
  level: NoteLogEntry["level"],
  text: string,
  peer?: string,
): NoteLogEntry {
  return { kind: "note", time, level, ...(peer === undefined ? {} : { peer }), text };
}

/**
 * One readable line, e.g.
 * `07:12:03.512 -> n3 round-start  run-1 round 7 tau 5 (6.4 kB)` or
 * `07:12:03.540 <- n3 round-result run-1 round 7 tau 5 loss 0.23451 beta 1.204 rho 0.3127 local 12.3 ms (12.6 kB)`.
 * Times are UTC (hh:mm:ss.mmm), so lines read the same on every machine.
 */
export function formatLogLine(entry: LogEntry): string {
  const time = clockTime(entry.time);
  if (entry.kind === "note") {
    const mark = entry.level === "warn" ? "!!" : "..";
    return `${time} ${mark} ${entry.peer === undefined ? "" : `${entry.peer} `}${entry.text}`;
  }
  const arrow = entry.direction === "sent" ? "->" : "<-";
  const parts: string[] = [`${time} ${arrow} ${entry.peer} ${entry.type}`];
  if (entry.runId !== undefined) parts.push(entry.runId);
  if (entry.node !== undefined) parts.push(`node ${entry.node}`);
  if (entry.model !== undefined) parts.push(`model ${entry.model}`);
  if (entry.nodeIndex !== undefined && entry.nodeCount !== undefined) {
    parts.push(`part ${entry.nodeIndex + 1}/${entry.nodeCount}`);
  }
  if (entry.adaptiveTau !== undefined)
    parts.push(`tau ${entry.adaptiveTau ? "adaptive" : "fixed"}`);
  if (entry.round !== undefined) parts.push(`round ${entry.round}`);
  if (entry.tau !== undefined) parts.push(`tau ${entry.tau}`);
  if (entry.lastRound === true) parts.push("last");
  if (entry.deadlineMs !== undefined) parts.push(`deadline ${entry.deadlineMs} ms`);
  if (entry.loss !== undefined) parts.push(`loss ${num(entry.loss)}`);
  if (entry.beta !== undefined) parts.push(`beta ${num(entry.beta)}`);
  if (entry.rho !== undefined) parts.push(`rho ${num(entry.rho)}`);
  if (entry.localSeconds !== undefined) parts.push(`local ${ms(entry.localSeconds)}`);
  if (entry.dataSize !== undefined) parts.push(`D ${entry.dataSize}`);
  if (entry.reason !== undefined) parts.push(entry.reason);
  if (entry.code !== undefined) parts.push(`[${entry.code}]`);
  if (entry.text !== undefined) parts.push(entry.text);
  parts.push(`(${size(entry.bytes)})`);
  return parts.join(" ");
}

/** The entry as one line of JSON (non-finite numbers as the strings "NaN", "Infinity"...). */
export function formatLogJson(entry: LogEntry): string {
  return JSON.stringify(entry, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
  );
}

export type LogFormat = "text" | "json";

/** Writes entries as lines in one format; `quiet` drops them all. */
export interface MessageLog {
  write(entry: LogEntry): void;
}

/** A log writing each entry as one line (without the newline) to `line`. */
export function createMessageLog(options: {
  readonly format: LogFormat;
  readonly quiet?: boolean;
  readonly line: (text: string) => void;
}): MessageLog {
  if (options.quiet === true) return { write: () => {} };
  const format = options.format === "json" ? formatLogJson : formatLogLine;
  return { write: (entry) => options.line(format(entry)) };
}

/** hh:mm:ss.mmm of a time in ms since 1970, UTC. */
function clockTime(time: number): string {
  if (!Number.isFinite(time)) return "--:--:--.---";
  return new Date(time).toISOString().slice(11, 23);
}

/** A number in 5 significant digits, as short as it reads. */
function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  return String(Number(v.toPrecision(5)));
}

function ms(seconds: number): string {
  if (!Number.isFinite(seconds)) return `${seconds} s`;
  const m = seconds * 1000;
  return m < 10
    ? `${m.toFixed(2)} ms`
    : m < 1000
      ? `${m.toFixed(1)} ms`
      : `${seconds.toFixed(2)} s`;
}

function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
