import { describe, expect, it } from "vitest";
import { MNIST_PIXELS } from "./mnist.js";
import { mnistJsonToBytes } from "./mnist-json.js";

describe("mnistJsonToBytes", () => {
  it("recovers every byte from its 3-place rounding of byte/255", () => {
    const bytes = Array.from({ length: MNIST_PIXELS }, (_, i) => i % 256);
    const data = bytes.map((b) => Math.round((b / 255) * 1000) / 1000);
    expect(Array.from(mnistJsonToBytes({ data }, "0.json"))).toEqual(bytes);
  });

  it("rejects a wrong shape or a value that is no byte/255", () => {
    expect(() => mnistJsonToBytes([], "0.json")).toThrow(
      'Cannot read MNIST digits "0.json": expected an object with a "data" array',
    );
    expect(() => mnistJsonToBytes({ data: [0, 1] }, "0.json")).toThrow(
      '"data" has 2 values, expected a positive multiple of 784',
    );
    const data = new Array<unknown>(2 * MNIST_PIXELS).fill(0);
    data[MNIST_PIXELS + 3] = 1.5;
    expect(() => mnistJsonToBytes({ data }, "0.json")).toThrow(
      "value 787 (digit 1, pixel 3) is 1.5, expected byte/255 in [0, 1]",
    );
    data[MNIST_PIXELS + 3] = 0.0037; // between 0/255 and 1/255
    expect(() => mnistJsonToBytes({ data }, "0.json")).toThrow("is 0.0037");
    data[MNIST_PIXELS + 3] = "0";
    expect(() => mnistJsonToBytes({ data }, "0.json")).toThrow('is "0"');
  });
});
