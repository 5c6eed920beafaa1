import {
  firstAnswer,
  nodeLinkConformance,
} from "../core/federation/test-support/node-link-conformance.js";
import { frozenClock } from "../core/federation/test-support/scripted-link.js";
import { DelayedLink } from "./delayed-link.js";
import { InProcessLink } from "./in-process-link.js";

// The delay's waits resolve at once: the link's behaviour, not its timing, is under test.
nodeLinkConformance({
  name: "DelayedLink",
  can: ["stop"],
  async create({ node }) {
    const inner = new InProcessLink("n1", { runRound: (o) => firstAnswer(node(o)) }, frozenClock);
    const link = new DelayedLink(
      inner,
      () => 30,
      async () => {},
    );
    return { link, settled: async () => {}, close: async () => {} };
  },
});
