import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ControllerConfig } from "../core/control/controller.js";

/**
 * A run's record on disk: rounds.jsonl (one RoundEvent a line, each with the controller's
 * inputs and decision in `control`) and controller.json (the controller's config), side by side
 * in one directory. `fedtau replay` re-runs the controller from the two.
 */
export const ROUNDS_FILE = "rounds.jsonl";
export const CONTROLLER_FILE = "controller.json";

/** The version of controller.json this fedtau writes and reads. */
export const CONTROLLER_FILE_VERSION = 1;

/** What controller.json holds. */
export interface ControllerFile {
  readonly version: typeof CONTROLLER_FILE_VERSION;
  readonly config: ControllerConfig;
}

/** controller.json's text for a config (pretty: it is small, and people read it). */
export function controllerFileText(config: ControllerConfig): string {
  const body: ControllerFile = { version: CONTROLLER_FILE_VERSION, config };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * Writes DIR/controller.json atomically: to a temporary file, synced, renamed over the old one,
 * the directory synced, so a crash leaves the old file or the new one, never half of one.
 * The directory must exist.
 */
export function writeControllerFile(dir: string, config: ControllerConfig): string {
  const path = join(dir, CONTROLLER_FILE);
  writeFileAtomically(path, controllerFileText(config));
  return path;
}

/**
 * A whole record at once (the simulator's runs): DIR (created) gets rounds.jsonl with one line
 * per event, as given (JSON.stringify of each RoundEvent), and controller.json.
 */
export function writeRunRecord(
  dir: string,
  config: ControllerConfig,
  eventLines: readonly string[],
): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomically(join(dir, ROUNDS_FILE), eventLines.map((l) => `${l}\n`).join(""));
  writeControllerFile(dir, config);
}

/**
 * Writes a text file atomically: to `path.tmp`, synced, renamed over `path`, the directory
 * synced, so a crash or a full disk leaves the old file or the new one, never half of one.
 */
export function writeFileAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dirname(path));
}

/** fsync of a directory; a platform that cannot sync directories is let be. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
