import { describe, expect, it } from "vitest";
import type { RoundReport } from "../train/round-report.js";
import { Controller, type ControllerConfig } from "./controller.js";
import { controllerConfig } from "./test-support/controller-config.js";

/**
 * A round's local updates are those of the node that did the most: the slowest node sets the
 * round's local time, and it is the one that ran them all. So c = local time / max tauDone, and
 * a node that stopped early (or an evaluation-length answer) must not make each update look
 * dearer and cut the budget short.
 */
const config: ControllerConfig = controllerConfig({ tauMode: 5, budget: { time: 3 } });

function report(tauDone: number): RoundReport {
  return {
    round: 1,
    weights: Float64Array.of(0, 0),
    tauDone,
    localSeconds: 0.2 * tauDone,
    dataSize: 1,
    lossAtGlobal: 1,
    gradAtGlobal: Float64Array.of(0.5, 0),
  };
}

/** Round 1 of tau 5: one node did its 5 updates, the other 2; 1 s of local time, b = 0.1 s. */
function afterUnevenRound() {
  const controller = Controller.create(config);
  expect(controller.plan).toMatchObject({ round: 1, tau: 5 });
  const after = controller.afterRound({
    startWeights: Float64Array.of(0, 0),
    reports: [report(2), report(5)],
    fallback: false,
    cost: { time: { local: 1, aggregation: 0.1 } },
  });
  if (!after.ok) throw new Error(after.message);
  return { controller, decision: after.decision };
}

describe("Controller: a round whose nodes did different numbers of updates", () => {
  it("books and records the most updates any node did (tauDone = max over the reports)", () => {
    const { controller, decision } = afterUnevenRound();
    expect(decision.tauDone).toBe(5);
    expect(decision.input.tauDone).toBe(5);
    expect(decision.input.nodes.map((n) => n.tauDone)).toEqual([2, 5]);
    // c = 1 s / 5 updates, not 1 s / 2.
    expect(controller.costs().time?.c).toBeCloseTo(0.2, 12);
  });

  it("plans the next round on that c: 1.1 s spent of 3, the next round of tau 5 still fits", () => {
    const { controller, decision } = afterUnevenRound();
    expect(controller.spent().time).toBeCloseTo(1.1, 12);
    // s + c (tau + 1) + 2b = 1.1 + 1.2 + 0.2 < 3: another full round of 5 (with c = 0.5 it
    // would not: 4.3, and the next round would be the last, of 2 updates).
    expect(decision.next).toEqual({ round: 2, tau: 5, kind: "full", lastRound: false });
  });
});
