import { describe, expect, it } from "vitest";
import { decodeMnistCache, encodeMnistCache } from "./mnist-cache-format.js";

const labels = Uint8Array.from([3, 9]);
const pixels = Uint8Array.from({ length: 2 * 784 }, (_, i) => (i * 31) % 256);
const encoded = encodeMnistCache({ labels, pixels });

describe("MNIST cache format", () => {
  it("round-trips labels and pixels", () => {
    const back = decodeMnistCache(encoded, "c.bin");
    expect(Array.from(back.labels)).toEqual([3, 9]);
    expect(back.pixels).toEqual(pixels);
    expect(encoded.length).toBe(24 + 2 * 785);
  });

  it("detects a truncated, damaged, foreign or outdated file", () => {
    const patched = (offset: number, value: number) => {
      const b = encoded.slice();
      b[offset] = value;
      return b;
    };
    const bad: [Uint8Array, string][] = [
      [encoded.subarray(0, 10), "file is 10 bytes, shorter than its header"],
      [
        encoded.subarray(0, encoded.length - 1),
        `file is ${encoded.length - 1} bytes, expected ${encoded.length} for 2 digits`,
      ],
      [patched(24 + 2 + 500, encoded[24 + 2 + 500] ^ 1), "checksum mismatch (the file is damaged)"],
      [patched(0, 0x58), 'it does not start with "FEDTAUMN"'],
      [patched(8, 7), "format version 7, expected 1"],
      [patched(17, 0), "16 pixels per digit, expected 784"],
    ];
    for (const [bytes, why] of bad) {
      expect(() => decodeMnistCache(bytes, "c.bin")).toThrow(
        `Cannot use MNIST cache "c.bin": ${why}`,
      );
    }
  });
});
