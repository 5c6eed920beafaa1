import { describe, expect, it } from "vitest";
import { budgetProblem, parseBudget } from "./budget-spec.js";

describe("parseBudget", () => {
  it("reads a time alone as a number of seconds", () => {
    expect(parseBudget("15")).toBe(15);
    expect(parseBudget(" 2.5 ")).toBe(2.5);
    expect(parseBudget("90s")).toBe(90);
    expect(parseBudget("2m")).toBe(120);
    expect(parseBudget("1e2")).toBe(100);
  });

  it("reads a list of resources into a table", () => {
    expect(parseBudget("time=15,bytes=20MB")).toEqual({ time: 15, bytes: 20_000_000 });
    expect(parseBudget("bytes=3MB, time=30")).toEqual({ time: 30, bytes: 3_000_000 });
    expect(parseBudget("time=15")).toEqual({ time: 15 });
    expect(parseBudget("time=2m")).toEqual({ time: 120 });
  });

  it("takes kB, KB, MB, GB as powers of 1000 and KiB, MiB, GiB as powers of 1024", () => {
    const bytes = (text: string) => (parseBudget(`bytes=${text}`) as { bytes: number }).bytes;
    expect(bytes("512")).toBe(512);
    expect(bytes("512B")).toBe(512);
    expect(bytes("2kB")).toBe(2_000);
    expect(bytes("2KB")).toBe(2_000);
    expect(bytes("1.5 MB")).toBe(1_500_000);
    expect(bytes("1GB")).toBe(1e9);
    expect(bytes("2KiB")).toBe(2_048);
    expect(bytes("1MiB")).toBe(1_048_576);
    expect(bytes("1GiB")).toBe(1_073_741_824);
  });

  it.each([
    [
      "",
      '--budget needs a positive number of seconds or a list such as time=15,bytes=20MB, got ""',
    ],
    [
      "soon",
      '--budget needs a positive number of seconds or a list such as time=15,bytes=20MB, got "soon"',
    ],
    [
      "-1",
      '--budget needs a positive number of seconds or a list such as time=15,bytes=20MB, got "-1"',
    ],
    [
      "0",
      '--budget needs a positive number of seconds or a list such as time=15,bytes=20MB, got "0"',
    ],
    ["20MB", '--budget: "20MB" has an unknown unit "MB" (expected s or m)'],
    ["energy=5", '--budget: unknown resource "energy" in "energy=5" (expected time or bytes)'],
    ["=5", '--budget: unknown resource "" in "=5" (expected time or bytes)'],
    [
      "bytes=20XB",
      '--budget: "bytes=20XB" has an unknown unit "XB" (expected B, kB, MB, GB, KiB, MiB, GiB)',
    ],
    ["time=5h", '--budget: "time=5h" has an unknown unit "h" (expected s or m)'],
    ["time=15,time=20", '--budget: "time" is given twice'],
    ["time=15,bytes=1MB,bytes=2MB", '--budget: "bytes" is given twice'],
    ["time=0", '--budget: "time=0" needs a positive amount'],
    ["bytes=-1MB", '--budget: "bytes=-1MB" needs a positive amount'],
    ["bytes=", '--budget: "bytes=" needs a positive amount'],
    ["bytes=1e400", '--budget: "bytes=1e400" needs a positive amount'],
    ["time=15,", '--budget: "time=15," has an empty item'],
    ["15,bytes=2MB", '--budget: "15" is not resource=amount (as in time=15 or bytes=20MB)'],
  ])("refuses %j: %s", (text, message) => {
    expect(() => parseBudget(text)).toThrow(new Error(message));
  });
});

describe("budgetProblem", () => {
  const bytesOnly = { bytes: 1e6 };

  it("lets any run go with a time budget", () => {
    expect(budgetProblem(15, { adaptive: true })).toBeNull();
    expect(budgetProblem({ time: 15, bytes: 1e6 }, { adaptive: true, rounds: false })).toBeNull();
  });

  it("needs a time budget for adaptive tau, and for fixed tau without a round limit", () => {
    expect(budgetProblem(bytesOnly, { adaptive: true, rounds: true })).toBe(
      "--budget needs a time budget: adaptive tau weighs updates against it",
    );
    expect(budgetProblem(bytesOnly, { adaptive: false, rounds: false })).toBe(
      "--budget needs a time budget when --rounds is not given",
    );
    expect(budgetProblem(bytesOnly, { adaptive: false })).toBe(
      "--budget needs a time budget: these runs have no round limit",
    );
    expect(budgetProblem(bytesOnly, { adaptive: false, rounds: true })).toBeNull();
  });
});
