import { MAX_NODE_NAME_CHARS, NODE_NAME_PATTERN } from "../protocol/index.js";

/**
 * The name of a node started without --name: "HOST-PID" (e.g. "pi-kitchen-4312"), with every
 * character outside [A-Za-z0-9._-] replaced by "-" and the host cut so the whole fits 64.
 */
export function defaultNodeName(hostname: string, pid: number): string {
  const suffix = `-${pid}`;
  const host = hostname
    .replace(/[^A-Za-z0-9._-]/g, "-")
    .slice(0, MAX_NODE_NAME_CHARS - suffix.length);
  return `${host === "" ? "node" : host}${suffix}`;
}

/** Checks a node name given by the user; the error says what a name may be. */
export function checkNodeName(name: string): string {
  if (!NODE_NAME_PATTERN.test(name)) {
    throw new Error(
      `Invalid node name ${JSON.stringify(name)}: use 1 to ${MAX_NODE_NAME_CHARS} characters from A-Z a-z 0-9 . _ -`,
    );
  }
  return name;
}
