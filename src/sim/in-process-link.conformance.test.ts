import { describe, expect, it } from "vitest";
import {
  conformanceOrder,
  conformanceReport,
  type NodeMove,
  nodeLinkConformance,
} from "../core/federation/test-support/node-link-conformance.js";
import { frozenClock } from "../core/federation/test-support/scripted-link.js";
import type { RoundReport } from "../core/train/round-report.js";
import { InProcessLink } from "./in-process-link.js";

/** An in-process node answers its order once, by returning or throwing: its first move. */
function answerOnce(moves: readonly NodeMove[]): RoundReport {
  const first = moves[0];
  if (first?.kind === "report") return first.report;
  if (first?.kind === "fail") throw new Error(first.reason);
  throw new Error(`an in-process node cannot ${first?.kind ?? "stay silent"}`);
}

nodeLinkConformance({
  name: "InProcessLink",
  can: [],
  async create({ node }) {
    const link = new InProcessLink(
      "n1",
      { runRound: (order) => answerOnce(node(order)) },
      frozenClock,
    );
    return { link, settled: async () => {}, close: async () => {} };
  },
});

describe("InProcessLink: a report of another round", () => {
  it("is an invalid report, worded as the aggregator's decoder refuses such a frame", async () => {
    const late = conformanceReport(conformanceOrder(2));
    const link = new InProcessLink("n1", { runRound: () => late }, frozenClock);
    expect(await link.runRound(conformanceOrder(3))).toMatchObject({
      ok: false,
      code: "invalid-report",
      message: 'Cannot accept round result from "n1": round 2, expected round 3',
    });
  });
});
