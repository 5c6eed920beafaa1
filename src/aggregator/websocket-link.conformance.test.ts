import { describe, expect, it } from "vitest";
import {
  conformanceOrder,
  conformanceReport,
  nodeLinkConformance,
} from "../core/federation/test-support/node-link-conformance.js";
import { type HarnessLog, websocketLinkHarness } from "./test-support/websocket-link-harness.js";

nodeLinkConformance(websocketLinkHarness());

describe("WebSocketLink: a result of another round", () => {
  it("is refused by the decoder for the round pending, dropped with its sentence, the connection kept", async () => {
    const log: HarnessLog = [];
    const order = conformanceOrder(3);
    const t = await websocketLinkHarness(log).create({
      modelSize: order.weights.length,
      node: (o) => [
        ...(o.round === 3
          ? [{ kind: "report" as const, report: conformanceReport(conformanceOrder(2)) }]
          : []),
        { kind: "report", report: conformanceReport(o) },
      ],
    });
    try {
      const outcome = t.link.runRound(order);
      await t.settled();
      expect(await outcome).toMatchObject({ ok: true, report: conformanceReport(order) });
      const notes = log.filter((e) => e.kind === "note").map((e) => e.text);
      expect(notes).toContain(
        'dropped: Cannot accept round result from "n1": round 2, expected round 3',
      );
      expect(notes.filter((n) => n.includes("refused"))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
