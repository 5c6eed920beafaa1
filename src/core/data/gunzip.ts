/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip data with the web-standard DecompressionStream (Node 18+ and browsers), and
 * returns other bytes unchanged. `what` names the data for the error, e.g. `IDX images "/d/f.gz"`.
 */
export async function gunzipIfNeeded(bytes: Uint8Array, what: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    // A copy, so that the Blob owns a plain ArrayBuffer whatever `bytes` views.
    const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(
      `Cannot read ${what}: gzip data is corrupt or truncated (${(e as Error).message})`,
    );
  }
}
