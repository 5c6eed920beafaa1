import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ownDataSpec } from "./own-data-spec.js";

const dir = mkdtempSync(join(tmpdir(), "fedtau-own-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ownDataSpec", () => {
  it("keeps a spec, and reads a bare path as a CSV file or an IDX directory", () => {
    expect(ownDataSpec("csv:x.csv")).toBe("csv:x.csv");
    expect(ownDataSpec("idx:/data/fashion")).toBe("idx:/data/fashion");
    const file = join(dir, "readings.csv");
    writeFileSync(file, "1,2,0\n");
    expect(ownDataSpec(file)).toBe(`csv:${file}`);
    expect(ownDataSpec(dir)).toBe(`idx:${dir}`);
  });

  it("says what is wrong", () => {
    expect(() => ownDataSpec("csv:")).toThrow('Unknown data set "csv:"');
    expect(() => ownDataSpec(join(dir, "nope"))).toThrow(
      `Cannot use --data "${join(dir, "nope")}": no such file or directory`,
    );
  });
});
