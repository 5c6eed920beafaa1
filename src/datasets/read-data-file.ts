import { readFile } from "node:fs/promises";

/**
 * Reads a whole file. `what` describes it for errors ("CSV", "IDX images"), which quote the path
 * and say plainly what is wrong (no such file, a directory, no permission).
 */
export async function readDataFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory, not a file"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : (e as Error).message;
    throw new Error(`Cannot read ${what} "${path}": ${why}`);
  }
}
