import { open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { decodeCheckpoint, encodeCheckpoint } from "./checkpoint-codec.js";

/** A checkpoint that cannot be read: the message names the file and says what to do. */
export class CheckpointError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** Where a checkpoint is written before it is renamed over `path`. */
export function temporaryPathOf(path: string): string {
  return `${path}.tmp`;
}

export interface WriteHooks {
  /** Called once the temporary file is written and synced, before the rename (tests: a crash). */
  readonly beforeRename?: () => void | Promise<void>;
}

/**
 * Writes `value` to `path` so that a crash at any moment leaves either the old file or the new
 * one, never a mix: the text goes to `path.tmp`, is synced to disk, then renamed over `path`
 * (atomic on POSIX file systems), and the directory is synced so the rename itself survives a
 * power loss.
 */
export async function writeCheckpointFile(
  path: string,
  value: unknown,
  hooks: WriteHooks = {},
): Promise<void> {
  const text = encodeCheckpoint(value);
  const tmp = temporaryPathOf(path);
  const file = await open(tmp, "w");
  try {
    await file.writeFile(text, "utf8");
    await file.sync();
  } finally {
    await file.close();
  }
  await hooks.beforeRename?.();
  await rename(tmp, path);
  await syncPath(dirname(path));
}

/**
 * Reads the checkpoint at `path`. Throws a CheckpointError naming the file when it is missing,
 * unreadable, cut short, damaged or not a checkpoint.
 */
export async function readCheckpointFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new CheckpointError(
        path,
        `No checkpoint at ${path}: nothing to resume (give the --out directory of an aggregator run)`,
      );
    }
    throw new CheckpointError(path, `Cannot read the checkpoint ${path}: ${messageOf(e)}`);
  }
  try {
    return decodeCheckpoint(text);
  } catch (e) {
    throw new CheckpointError(path, `The checkpoint ${path} is corrupt: ${messageOf(e)}`);
  }
}

/** fsync of a file or directory by path; a platform that cannot sync directories is let be. */
export async function syncPath(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw e;
  } finally {
    await handle?.close();
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
