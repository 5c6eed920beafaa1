import { readFileSync } from "node:fs";
import type { NodeId } from "../core/units.js";
import { MAX_TOKEN_CHARS, NODE_NAME_PATTERN } from "../protocol/index.js";
import { tokenMatches } from "./token-check.js";

/** Node name -> its own token (`--tokens FILE`). */
export type NodeTokens = ReadonlyMap<NodeId, string>;

/**
 * Parses a tokens file: a JSON object `{"n1": "token", ...}`, or lines `NAME TOKEN` (blank
 * lines and lines starting with # ignored). Throws a sentence naming the line or entry at fault:
 * a bad name, an empty, too long or blank-containing token, a name given twice.
 */
export function parseNodeTokens(text: string, source = "the tokens file"): NodeTokens {
  const entries: [string, string, string][] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${source}: not valid JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new Error(`${source}: expected a JSON object of node name -> token`);
    }
    for (const [name, token] of Object.entries(parsed)) {
      if (typeof token !== "string")
        throw new Error(`${source}: the token of "${name}" is not a string`);
      entries.push([name, token, `entry "${name}"`]);
    }
  } else {
    for (const [i, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const parts = line.split(/\s+/);
      if (parts.length !== 2) {
        throw new Error(
          `${source}, line ${i + 1}: expected "NAME TOKEN", got ${parts.length} words`,
        );
      }
      entries.push([parts[0], parts[1], `line ${i + 1}`]);
    }
  }
  const tokens = new Map<NodeId, string>();
  for (const [name, token, where] of entries) {
    if (!NODE_NAME_PATTERN.test(name)) {
      throw new Error(
        `${source}, ${where}: "${name}" is not a node name (1-64 of A-Z a-z 0-9 . _ -)`,
      );
    }
    if (token === "" || /\s/.test(token) || token.length > MAX_TOKEN_CHARS) {
      throw new Error(
        `${source}, ${where}: a token must be 1 to ${MAX_TOKEN_CHARS} characters without blanks`,
      );
    }
    if (tokens.has(name)) throw new Error(`${source}, ${where}: "${name}" is given twice`);
    tokens.set(name, token);
  }
  if (tokens.size === 0) throw new Error(`${source}: no node tokens in it`);
  return tokens;
}

/** Reads and parses `--tokens FILE`. */
export function loadNodeTokens(file: string): NodeTokens {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--tokens: cannot read ${file}: ${(error as Error).message}`);
  }
  return parseNodeTokens(text, `--tokens ${file}`);
}

/** Who may register: the shared token, per-node tokens, both, or neither. */
export interface Admission {
  /** The shared token (`--token`); undefined or "": none. */
  readonly token?: string;
  readonly nodeTokens?: NodeTokens;
}

/**
 * Whether node `name` presenting `given` may register, compared in constant time (SHA-256
 * digests, timingSafeEqual): a node listed in the per-node tokens needs its own token (the shared
 * one does not do); any other node needs the shared token, and with per-node tokens but no
 * shared token it is refused. Without either, every node is admitted.
 */
export function admitsNode(admission: Admission, name: NodeId, given: string): boolean {
  const own = admission.nodeTokens?.get(name);
  if (own !== undefined) return tokenMatches(own, given);
  const shared = admission.token;
  if (admission.nodeTokens !== undefined && (shared === undefined || shared === "")) {
    tokenMatches(UNKNOWN_NAME, given); // the same work as a real compare
    return false;
  }
  return tokenMatches(shared, given);
}

/**
 * Whether `name` has a token of its own: its Register then proves who it is, so a new connection
 * under its name replaces an old one (gone half-open after a reset) instead of being refused
 * with name-taken.
 */
export function hasOwnToken(admission: Admission, name: NodeId): boolean {
  return admission.nodeTokens?.has(name) === true;
}

/** Compared against for names without a token, so that the work done does not tell. */
const UNKNOWN_NAME = "\u0000 no token for this name \u0000";
