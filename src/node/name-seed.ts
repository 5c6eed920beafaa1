/**
 * A 32-bit seed from a node's name (FNV-1a): seeds the node's back-off jitter, so nodes dropped
 * together come back at different instants, the same ones on every run.
 */
export function nameSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
