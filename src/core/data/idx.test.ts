import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseIdx, readIdxImages, readIdxLabels } from "./idx.js";
import { encodeIdx } from "./idx-encode.js";
import { Rng } from "./rng.js";

const rng = new Rng(5);
const pixels = Array.from({ length: 3 * 4 * 5 }, () => rng.int(256));
const labels = [7, 0, 9];
const imageBytes = encodeIdx([3, 4, 5], pixels);
const labelBytes = encodeIdx([3], labels);

describe("IDX", () => {
  it("writes the MNIST header: magic 0x00000803, big-endian dimensions", () => {
    expect(Array.from(imageBytes.subarray(0, 16))).toEqual([
      0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
    ]);
    expect(Array.from(labelBytes.subarray(0, 8))).toEqual([0, 0, 8, 1, 0, 0, 0, 3]);
  });

  for (const [how, wrap] of [
    ["plain", (b: Uint8Array) => b],
    ["gzipped", (b: Uint8Array) => new Uint8Array(gzipSync(b))],
  ] as const) {
    it(`reads ${how} images and labels back exactly`, async () => {
      const images = await readIdxImages(wrap(imageBytes), "img");
      expect(images.count).toBe(3);
      expect(images.shape).toEqual([4, 5]);
      expect(Array.from(images.features)).toEqual(pixels.map((b) => Math.fround(b / 255)));
      expect(Array.from(await readIdxLabels(wrap(labelBytes), "lab"))).toEqual(labels);
    });
  }

  it("reads every element type, big-endian", () => {
    const values = [-3, 1000, -70000];
    for (const type of [0x0c, 0x0d, 0x0e] as const) {
      expect(Array.from(parseIdx(encodeIdx([3], values, type), 1, "x").values)).toEqual(values);
    }
    expect(Array.from(parseIdx(encodeIdx([2], [-3, 1000], 0x0b), 1, "x").values)).toEqual([
      -3, 1000,
    ]);
    expect(Array.from(parseIdx(encodeIdx([2], [-3, 100], 0x09), 1, "x").values)).toEqual([-3, 100]);
  });

  it("keeps non-byte image values as stored", async () => {
    const images = await readIdxImages(encodeIdx([1, 1, 2], [0.5, -2], 0x0d), "f");
    expect(Array.from(images.features)).toEqual([0.5, -2]);
  });

  it("names the file and the fault for every bad input", async () => {
    const f = "/d/train-images-idx3-ubyte";
    await expect(readIdxImages(new Uint8Array([0, 0]), f)).rejects.toThrow(
      `Cannot read IDX images "${f}": file is 2 bytes long, too short for an IDX header`,
    );
    await expect(readIdxImages(encodeIdx([1, 1, 1, 1], [0]), f)).rejects.toThrow(
      `Cannot read IDX images "${f}": magic number 0x00000804, expected 0x00000803 (3 dimensions)`,
    );
    await expect(readIdxImages(labelBytes, f)).rejects.toThrow(
      "magic number 0x00000801, expected 0x00000803",
    );
    await expect(readIdxLabels(imageBytes, "/d/l")).rejects.toThrow(
      `Cannot read IDX labels "/d/l": magic number 0x00000803, expected 0x00000801 (1 dimension)`,
    );
    await expect(readIdxImages(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), f)).rejects.toThrow(
      "magic number 0x504B0304, expected 0x00000803",
    );
    const badType = imageBytes.slice();
    badType[2] = 0x0a;
    await expect(readIdxImages(badType, f)).rejects.toThrow("magic number 0x00000A03");
    await expect(readIdxImages(imageBytes.subarray(0, 10), f)).rejects.toThrow(
      `Cannot read IDX images "${f}": header is truncated: 3 dimensions need 16 bytes, file has 10`,
    );
    await expect(readIdxImages(imageBytes.subarray(0, imageBytes.length - 1), f)).rejects.toThrow(
      `Cannot read IDX images "${f}": file is truncated: header declares 3 x 4 x 5 unsigned byte values (60 bytes), but only 59 bytes follow the header`,
    );
    const longer = new Uint8Array(imageBytes.length + 2);
    longer.set(imageBytes);
    await expect(readIdxImages(longer, f)).rejects.toThrow(
      "header declares 3 x 4 x 5 unsigned byte values (60 bytes), but 2 extra bytes follow them",
    );
    await expect(readIdxImages(encodeIdx([0, 4, 5], []), f)).rejects.toThrow(
      `Cannot read IDX images "${f}": dimension 1 of 3 is 0`,
    );
    const gz = new Uint8Array(gzipSync(imageBytes));
    await expect(readIdxImages(gz.subarray(0, gz.length - 12), `${f}.gz`)).rejects.toThrow(
      `Cannot read IDX images "${f}.gz": gzip data is corrupt or truncated`,
    );
    await expect(readIdxLabels(encodeIdx([1], [Number.NaN], 0x0e), "/d/l")).rejects.toThrow(
      `Cannot read IDX labels "/d/l": label 0 is NaN, not a finite number`,
    );
  });
});
