import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { registerAggregatorCommand } from "./aggregator-command.js";
import { registerNodeCommand } from "./node-command.js";
import { DEFAULT_MAX_MESSAGES_PER_SECOND, securityOptionsOf } from "./security-options.js";

const dir = mkdtempSync(join(tmpdir(), "fedtau-security-flags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the aggregator's security flags", () => {
  it("are all in --help, and --ca in the node's", () => {
    const help = registerAggregatorCommand(new Command("fedtau")).helpInformation();
    for (const flag of [
      "--tls-cert <file>",
      "--tls-key <file>",
      "--tokens <file>",
      "--max-messages-per-second <n>",
      "--max-connections-per-address <n>",
    ]) {
      expect(help).toContain(flag);
    }
    expect(registerNodeCommand(new Command("fedtau")).helpInformation()).toContain("--ca <file>");
  });

  it("default to a generous message rate and no connection limit; 0 turns a limit off", () => {
    expect(securityOptionsOf({})).toEqual({
      maxMessagesPerSecond: DEFAULT_MAX_MESSAGES_PER_SECOND,
    });
    expect(securityOptionsOf({ maxMessagesPerSecond: 0, maxConnectionsPerAddress: 4 })).toEqual({
      maxConnectionsPerAddress: 4,
    });
  });

  it("read the files, and say what is wrong", () => {
    const tokens = join(dir, "tokens.json");
    writeFileSync(tokens, '{"n1": "abc"}');
    expect(securityOptionsOf({ tokens }).nodeTokens?.get("n1")).toBe("abc");
    expect(() => securityOptionsOf({ tlsCert: "cert.pem" })).toThrow(
      "--tls-cert and --tls-key go together",
    );
    const notPem = join(dir, "cert.pem");
    writeFileSync(notPem, "hello");
    expect(() => securityOptionsOf({ tlsCert: notPem, tlsKey: notPem })).toThrow(
      `--tls-cert: ${notPem} holds no PEM certificate`,
    );
    expect(() => securityOptionsOf({ tlsCert: join(dir, "none"), tlsKey: notPem })).toThrow(
      /^--tls-cert: cannot read /,
    );
  });
});
