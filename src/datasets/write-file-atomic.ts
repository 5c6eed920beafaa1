import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

let counter = 0;

/**
 * Writes `bytes` to `path` through a temporary file in the same directory and a rename, so that a
 * reader (another node process loading the same cache) sees either the old file or the whole new
 * one, never a half-written one. Creates the directory if needed.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++counter}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}
