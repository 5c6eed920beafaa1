import { describe, expect, it } from "vitest";
import { parseDatasetSpec } from "./dataset-spec.js";

describe("parseDatasetSpec", () => {
  it("parses the three forms, keeping colons inside paths", () => {
    expect(parseDatasetSpec("mnist")).toEqual({ kind: "mnist" });
    expect(parseDatasetSpec("idx:/usr/share/datasets/fashion-mnist")).toEqual({
      kind: "idx",
      dir: "/usr/share/datasets/fashion-mnist",
    });
    expect(parseDatasetSpec("csv:C:/data/a.csv")).toEqual({ kind: "csv", file: "C:/data/a.csv" });
  });

  it("rejects unknown specs and missing paths", () => {
    expect(() => parseDatasetSpec("cifar")).toThrow(
      'Unknown data set "cifar": expected "mnist", "idx:DIR" or "csv:FILE"',
    );
    expect(() => parseDatasetSpec("")).toThrow('Unknown data set ""');
    expect(() => parseDatasetSpec("csv:")).toThrow(
      'Unknown data set "csv:": "csv:" needs a file after the colon',
    );
    expect(() => parseDatasetSpec("idx:")).toThrow('"idx:" needs a directory after the colon');
  });
});
