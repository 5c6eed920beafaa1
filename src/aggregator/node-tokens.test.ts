import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { admitsNode, loadNodeTokens, parseNodeTokens } from "./node-tokens.js";

describe("parseNodeTokens", () => {
  it("reads a JSON object of name -> token", () => {
    const t = parseNodeTokens('{"n1": "alpha", "kitchen-pi": "b3ta"}');
    expect([...t]).toEqual([
      ["n1", "alpha"],
      ["kitchen-pi", "b3ta"],
    ]);
  });

  it("reads NAME TOKEN lines, skipping blanks and # comments", () => {
    const t = parseNodeTokens("# nodes\n\nn1 alpha\r\n  n2\tbeta  \n");
    expect([...t]).toEqual([
      ["n1", "alpha"],
      ["n2", "beta"],
    ]);
  });

  it("says what is wrong, and where", () => {
    expect(() => parseNodeTokens("n1 alpha extra")).toThrow(
      'the tokens file, line 1: expected "NAME TOKEN", got 3 words',
    );
    expect(() => parseNodeTokens("n1 a\nn1 b")).toThrow('line 2: "n1" is given twice');
    expect(() => parseNodeTokens("bad/name tok")).toThrow('"bad/name" is not a node name');
    expect(() => parseNodeTokens('{"n1": ""}')).toThrow(
      'entry "n1": a token must be 1 to 256 characters without blanks',
    );
    expect(() => parseNodeTokens(`n1 ${"x".repeat(257)}`)).toThrow("1 to 256 characters");
    expect(() => parseNodeTokens('{"n1": 5}')).toThrow('the token of "n1" is not a string');
    expect(() => parseNodeTokens("{nope")).toThrow("not valid JSON");
    expect(() => parseNodeTokens("# nothing\n")).toThrow("no node tokens in it");
  });

  it("loads a file, naming it in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "fedtau-tokens-"));
    try {
      const file = join(dir, "tokens.txt");
      writeFileSync(file, "n1 alpha\n");
      expect(loadNodeTokens(file).get("n1")).toBe("alpha");
      expect(() => loadNodeTokens(join(dir, "missing"))).toThrow(/^--tokens: cannot read /);
      writeFileSync(file, "n1\n");
      expect(() => loadNodeTokens(file)).toThrow(`--tokens ${file}, line 1`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("admitsNode", () => {
  const nodeTokens = new Map([
    ["a", "token-a"],
    ["b", "token-b"],
  ]);

  it("per-node tokens only: its own token, nothing else", () => {
    const only = { nodeTokens };
    expect(admitsNode(only, "a", "token-a")).toBe(true);
    expect(admitsNode(only, "a", "token-b")).toBe(false);
    expect(admitsNode(only, "a", "")).toBe(false);
    expect(admitsNode(only, "c", "token-a")).toBe(false);
    expect(admitsNode(only, "c", "")).toBe(false);
  });

  it("with a shared token: unlisted names use it, listed names do not", () => {
    const both = { nodeTokens, token: "shared" };
    expect(admitsNode(both, "a", "token-a")).toBe(true);
    expect(admitsNode(both, "a", "shared")).toBe(false);
    expect(admitsNode(both, "c", "shared")).toBe(true);
    expect(admitsNode(both, "c", "token-a")).toBe(false);
  });

  it("shared token alone, or no token at all", () => {
    expect(admitsNode({ token: "s" }, "any", "s")).toBe(true);
    expect(admitsNode({ token: "s" }, "any", "t")).toBe(false);
    expect(admitsNode({}, "any", "")).toBe(true);
    expect(admitsNode({ token: "" }, "any", "whatever")).toBe(true);
  });
});
