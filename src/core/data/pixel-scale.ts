/** byte / 255 as float32 for every byte value, so converting an image is one table look-up per pixel. */
const UNIT_FLOAT = (() => {
  const t = new Float32Array(256);
  for (let b = 0; b < 256; b++) t[b] = b / 255;
  return t;
})();

/**
 * Pixel bytes 0..255 as float32 features in [0, 1] (byte / 255, the scaling of docs/algorithm.md
 * section 1).
 */
export function bytesToUnitFloats(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = UNIT_FLOAT[bytes[i]];
  return out;
}

/** Features in [0, 1] as pixel bytes 0..255 (rounded, clamped): the inverse of bytesToUnitFloats. */
export function unitFloatsToBytes(features: Float32Array): Uint8Array {
  const out = new Uint8Array(features.length);
  for (let i = 0; i < features.length; i++) {
    out[i] = Math.max(0, Math.min(255, Math.round(features[i] * 255)));
  }
  return out;
}
