import { DEFAULT_MAX_MESSAGE_BYTES } from "../protocol/index.js";

/**
 * The `ws` payload limit for a connection that accepts frames of up to `maxMessageBytes`: twice
 * as much (plus 64 KiB), so that a frame somewhat over the limit still reaches decodeFrame and is
 * answered with a too-large Error; only a frame over this is cut off by ws itself (close 1009).
 */
export function wsMaxPayload(maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES): number {
  return Math.min(2 * maxMessageBytes + 65_536, 2 ** 31 - 1);
}

/** Options every fedtau WebSocket gets: no compression (vectors do not compress; it costs time). */
export const WS_COMMON_OPTIONS = { perMessageDeflate: false } as const;
