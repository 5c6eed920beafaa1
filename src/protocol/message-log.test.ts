import { describe, expect, it } from "vitest";
import {
  createMessageLog,
  formatLogJson,
  formatLogLine,
  messageLogEntry,
  noteLogEntry,
} from "./message-log.js";
import { allSamples, sampleMessages } from "./test-support/sample-messages.js";

const T = Date.UTC(2025, 0, 2, 7, 12, 3, 512);

describe("message log", () => {
  const m = sampleMessages(4);

  it("writes a round result with its round, tau, loss, estimates and size", () => {
    const entry = messageLogEntry(m.roundResult, {
      time: T,
      direction: "received",
      peer: "n3",
      bytes: 12_600,
    });
    expect(entry).toMatchObject({
      type: "round-result",
      round: 3,
      tau: 7,
      loss: 0.2231,
      beta: 1e-5,
      rho: 0,
      localSeconds: 0.0913,
      dataSize: 12,
      runId: "run-1",
    });
    expect(formatLogLine(entry)).toBe(
      "07:12:03.512 <- n3 round-result run-1 round 3 tau 7 loss 0.2231 beta 0.00001 rho 0 local 91.3 ms D 12 (12.6 kB)",
    );
  });

  it("writes a round start with its round, tau and deadline", () => {
    const entry = messageLogEntry(m.roundStart, {
      time: T,
      direction: "sent",
      peer: "n3",
      bytes: 52,
    });
    expect(formatLogLine(entry)).toBe(
      "07:12:03.512 -> n3 round-start run-1 round 3 tau 7 deadline 5000 ms (52 B)",
    );
  });

  it("gives every message type a line and a JSON object", () => {
    for (const message of allSamples(4)) {
      const entry = messageLogEntry(message, {
        time: T,
        direction: "sent",
        peer: "aggregator",
        bytes: 10,
      });
      expect(formatLogLine(entry)).toContain(` ${message.type}`);
      expect(JSON.parse(formatLogJson(entry))).toMatchObject({
        kind: "message",
        type: message.type,
        peer: "aggregator",
        bytes: 10,
        time: T,
      });
    }
  });

  it("keeps non-finite numbers readable in JSON", () => {
    const bad = { ...m.roundResult, report: { ...m.roundResult.report, lossAtGlobal: Number.NaN } };
    const entry = messageLogEntry(bad, { time: T, direction: "received", peer: "n1", bytes: 1 });
    expect(JSON.parse(formatLogJson(entry)).loss).toBe("NaN");
    expect(formatLogLine(entry)).toContain("loss NaN");
  });

  it("writes errors with their code and sentence, and notes", () => {
    const entry = messageLogEntry(m.error, { time: T, direction: "sent", peer: "n3", bytes: 90 });
    expect(formatLogLine(entry)).toContain(
      '[wrong-length] Cannot accept round result from "n3": expected 784 weights, got 783',
    );
    const note = noteLogEntry(T, "warn", "left out of round 7: timeout", "n3");
    expect(formatLogLine(note)).toBe("07:12:03.512 !! n3 left out of round 7: timeout");
    expect(JSON.parse(formatLogJson(note))).toEqual({
      kind: "note",
      time: T,
      level: "warn",
      peer: "n3",
      text: "left out of round 7: timeout",
    });
  });

  it("writes lines in the chosen format, or none when quiet", () => {
    const lines: string[] = [];
    const note = noteLogEntry(T, "info", "listening");
    createMessageLog({ format: "text", line: (l) => lines.push(l) }).write(note);
    createMessageLog({ format: "json", line: (l) => lines.push(l) }).write(note);
    createMessageLog({ format: "json", quiet: true, line: (l) => lines.push(l) }).write(note);
    expect(lines).toEqual([
      "07:12:03.512 .. listening",
      '{"kind":"note","time":1735801923512,"level":"info","text":"listening"}',
    ]);
  });
});
