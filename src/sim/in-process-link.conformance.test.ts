import { describe, expect, it } from "vitest";
import {
  conformanceOrder,
  conformanceReport,
  firstAnswer,
  nodeLinkConformance,
} from "../core/federation/test-support/node-link-conformance.js";
import { frozenClock } from "../core/federation/test-support/scripted-link.js";
import { InProcessLink } from "./in-process-link.js";

nodeLinkConformance({
  name: "InProcessLink",
  can: [],
  async create({ node }) {
    const link = new InProcessLink(
      "n1",
      { runRound: (order) => firstAnswer(node(order)) },
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
