import { constants } from "node:fs";
import { open } from "node:fs/promises";

/**
 * The largest data file a node reads: 1 GiB (the MNIST training set is 47 MB as IDX and about
 * 110 MB as CSV). A spec sent by an aggregator must not make a node read without end.
 */
export const MAX_DATA_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * Reads a whole regular file of at most `maxBytes`. `what` describes it for errors ("CSV",
 * "IDX images"), which quote the path and say plainly what is wrong (no such file, a directory,
 * no permission, not a regular file, too large).
 */
export async function readDataFile(
  path: string,
  what: string,
  maxBytes: number = MAX_DATA_FILE_BYTES,
): Promise<Uint8Array> {
  const fail = (why: string) => new Error(`Cannot read ${what} "${path}": ${why}`);
  let file: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking: opening a FIFO would otherwise wait, silently, for a writer.
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fail(openProblem(e));
  }
  try {
    const stat = await file.stat();
    if (stat.isDirectory()) throw fail("it is a directory, not a file");
    if (!stat.isFile()) throw fail("not a regular file (a device, a FIFO or a socket)");
    if (stat.size > maxBytes) {
      throw fail(`it has ${stat.size} bytes, more than the ${maxBytes} a data file may have`);
    }
    // Exactly the size seen: a file that grows meanwhile is read as it was.
    const bytes = new Uint8Array(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await file.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === bytes.length ? bytes : bytes.subarray(0, at);
  } finally {
    await file.close();
  }
}

function openProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (e as Error).message;
}
