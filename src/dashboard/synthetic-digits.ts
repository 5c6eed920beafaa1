import { Rng } from "../core/data/rng.js";
import { DIGIT_BYTES } from "./dashboard-limits.js";

/** Digits as the fake source hands them out: one label and 784 pixel bytes per digit. */
export interface DigitBank {
  readonly labels: Uint8Array;
  readonly pixels: Uint8Array;
}

/** A 5 x 7 bitmap per digit 0..9, one string per row. */
const GLYPHS: readonly (readonly string[])[] = [
  [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
  ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
  [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
  ["####.", "....#", "....#", ".###.", "....#", "....#", "####."],
  ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
  ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
  ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
  ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
  [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
  [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
];

/**
 * `perDigit` hand-drawn-looking digits of each class, labels 0..9 in turn: the 5 x 7 glyph
 * scaled to about 15 x 21 pixels, slanted and shifted a little at random, with soft edges. For
 * tests and for developing the page without the MNIST package.
 */
export function syntheticDigits(perDigit: number, seed = 7): DigitBank {
  const rng = new Rng(seed);
  const n = perDigit * 10;
  const labels = new Uint8Array(n);
  const pixels = new Uint8Array(n * DIGIT_BYTES);
  for (let k = 0; k < n; k++) {
    const digit = k % 10;
    labels[k] = digit;
    drawGlyph(pixels.subarray(k * DIGIT_BYTES, (k + 1) * DIGIT_BYTES), digit, rng);
  }
  return { labels, pixels };
}

function drawGlyph(out: Uint8Array, digit: number, rng: Rng): void {
  const glyph = GLYPHS[digit];
  const scale = 2.7 + rng.next() * 0.5;
  const slant = (rng.next() - 0.5) * 0.35;
  const x0 = 14 - 2.5 * scale + (rng.next() - 0.5) * 3;
  const y0 = 14 - 3.5 * scale + (rng.next() - 0.5) * 3;
  const thickness = 0.55 + rng.next() * 0.25;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      // Back to glyph coordinates, undoing the slant about the glyph's middle row.
      const gy = (y + 0.5 - y0) / scale;
      const gx = (x + 0.5 - x0) / scale + slant * (gy - 3.5);
      let ink = 0;
      for (let r = Math.floor(gy - 1); r <= Math.ceil(gy + 1); r++) {
        for (let c = Math.floor(gx - 1); c <= Math.ceil(gx + 1); c++) {
          if (glyph[r]?.[c] !== "#") continue;
          const d = Math.hypot(gx - (c + 0.5), gy - (r + 0.5));
          ink = Math.max(ink, 1 - Math.max(0, d - thickness * 0.5) / 0.45);
        }
      }
      out[y * 28 + x] = Math.round(255 * Math.min(1, Math.max(0, ink)));
    }
  }
}
