/**
 * Bytes a WebSocket frame of `payloadBytes` takes on the wire (RFC 6455 section 5.2): 2 header
 * bytes, 2 or 8 more for payloads over 125 or 65,535 bytes, and 4 for the masking key of a frame
 * sent by a client.
 */
export function wsFrameBytes(payloadBytes: number, masked: boolean): number {
  const length = payloadBytes > 65_535 ? 8 : payloadBytes > 125 ? 2 : 0;
  return 2 + length + (masked ? 4 : 0) + payloadBytes;
}
