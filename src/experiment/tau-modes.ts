import type { TauMode } from "../core/control/tau-policy.js";

// The --tau flag's list of tau modes (core's TauMode: "adaptive", or a fixed number of local
// updates per round), as an experiment or an aggregator runs them.

/** The paper's comparison grid (Wang et al., Fig. 4), with the adaptive run first. */
export const DEFAULT_TAU_MODES: readonly TauMode[] = [
  "adaptive",
  1,
  2,
  3,
  5,
  7,
  10,
  20,
  30,
  50,
  70,
  100,
];

/**
 * The largest fixed tau a command line accepts: a round of more local updates than this is a
 * typo. Far above DEFAULT_TAU_MAX on purpose: an experiment may compare fixed taus the adaptive
 * search would never choose.
 */
export const MAX_COMMAND_LINE_TAU = 100_000;

/** "adaptive" or the fixed tau as text, as it appears in files and messages. */
export function formatTauMode(setting: TauMode): string {
  return setting === "adaptive" ? "adaptive" : String(setting);
}

/** Parses one setting: "adaptive" (or "a") or a positive integer. Throws a readable error. */
export function parseTauMode(text: string): TauMode {
  const t = text.trim().toLowerCase();
  if (t === "adaptive" || t === "a") return "adaptive";
  if (!/^\d+$/.test(t)) {
    throw new Error(`Bad tau setting "${text}": expected "adaptive" or a positive integer`);
  }
  const n = Number(t);
  if (n < 1 || n > MAX_COMMAND_LINE_TAU) {
    throw new Error(`Bad tau setting "${text}": a fixed tau must be in 1..${MAX_COMMAND_LINE_TAU}`);
  }
  return n;
}

/**
 * Parses a comma-separated list such as "adaptive,1,2,5". Duplicates are an error (they would
 * run the same thing twice); the order given is kept.
 */
export function parseTauModes(text: string): TauMode[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.every((p) => p === "")) {
    throw new Error("No tau settings given: expected e.g. adaptive,1,10,100");
  }
  const out: TauMode[] = [];
  for (const part of parts) {
    if (part === "") throw new Error(`Empty entry in tau settings "${text}"`);
    const s = parseTauMode(part);
    if (out.includes(s)) throw new Error(`Tau setting "${formatTauMode(s)}" is listed twice`);
    out.push(s);
  }
  return out;
}
