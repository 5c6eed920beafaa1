import { formatLogLine, type LogEntry } from "../protocol/message-log.js";
import type { WireLogLine } from "./wire-types.js";

/** A protocol log entry as the page shows it: the terminal's text, and a tone to colour it by. */
export function logLine(entry: LogEntry): WireLogLine {
  const tone = entry.kind === "note" ? entry.level : entry.direction;
  return { time: entry.time, tone, text: formatLogLine(entry) };
}
