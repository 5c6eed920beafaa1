import { afterEach, describe, expect, it } from "vitest";
import type { RoundOrder, RoundReport } from "../../train/round-report.js";
import type { NodeLink, RoundOutcome, RunEnd } from "../link.js";

/**
 * The NodeLink contract as tests (after Hono's common.case.test.ts): every link implementation
 * runs `nodeLinkConformance` from a test file of its own, with a harness that builds the link and
 * plays the node at its far end. What the contract says (core/federation/link.ts): a link answers
 * the round it was asked and never another, never throws for a node's fault, reports a node that
 * is lost, honours `readsWeightsOnly`, and its `stop` resolves promptly.
 */

/** One thing the node at the far end of the link does with an order it got. */
export type NodeMove =
  /** Sends this report: its own for the round asked, or one of another round, misshapen, NaN. */
  | { readonly kind: "report"; readonly report: RoundReport }
  /** Says it cannot do the round (an Error message, a throw). */
  | { readonly kind: "fail"; readonly reason: string }
  /** Sends bytes that are no message at all. */
  | { readonly kind: "garbage" }
  /** Goes away mid-round (the connection drops). */
  | { readonly kind: "disconnect" };

/**
 * What a harness's node can do beyond reporting and failing:
 * - "garbage", "disconnect": the moves of those names;
 * - "silence": make no move at all, until `passDeadline` lets the round's deadline pass;
 * - "several-answers": make several moves for one order (a late report, then its own), where an
 *   in-process node answers once, with its first move;
 * - "stop": the link has a `stop`, which tells the node the run is over (what the node heard:
 *   `stopHeard`, where the harness's node can hear it).
 */
export type NodeCapability = "garbage" | "disconnect" | "silence" | "several-answers" | "stop";

/** The node's side, as the suite scripts it: the moves it makes for each order it gets. */
export type NodeScript = (order: RoundOrder) => readonly NodeMove[];

/** One link under test, with the node at its far end. */
export interface LinkUnderTest {
  readonly link: NodeLink;
  /**
   * Resolves once the node has made its moves for every order it was sent and the link has taken
   * them in (frames read, a close noticed), without letting any deadline pass.
   */
  settled(): Promise<void>;
  /** With "silence": lets the deadline of the round under way pass (fake timers). */
  passDeadline?(): void;
  /** With "stop", where the node hears it: the final weights it was told when the run ended. */
  stopHeard?(): Promise<Float64Array | undefined>;
  close(): Promise<void>;
}

export interface NodeLinkHarness {
  /** The link's name in the tests' titles. */
  readonly name: string;
  readonly can: readonly NodeCapability[];
  /** A link to one node that plays `node`, for a run of `modelSize` weights. */
  create(options: {
    readonly modelSize: number;
    readonly node: NodeScript;
  }): Promise<LinkUnderTest>;
}

/** Number of weights of the suite's run. */
export const CONFORMANCE_MODEL_SIZE = 6;

/** An order of the suite's run: the global weights differ from round to round. */
export function conformanceOrder(round: number, tau = 3): RoundOrder {
  const weights = Float64Array.from(
    { length: CONFORMANCE_MODEL_SIZE },
    (_, k) => round / 8 - k / 16,
  );
  return { round, weights, tau, lastRound: false, prevGlobalWasBest: false };
}

/** The report a well-behaved node sends for an order: numbers of its own, distinct per round. */
export function conformanceReport(order: RoundOrder, over: Partial<RoundReport> = {}): RoundReport {
  return {
    round: order.round,
    weights: order.weights.map((w, k) => w + 0.25 * (k + 1) + order.round),
    tauDone: order.tau,
    localSeconds: 0.125 * order.tau,
    dataSize: 12,
    lossAtGlobal: 1 / order.round,
    gradAtGlobal: order.weights.map((_, k) => (k - 3) / 8),
    ...(order.round >= 2 && { beta: 0.5, rho: 0.75 }),
    ...over,
  };
}

/**
 * The answer of a node in this process, which answers an order once, by returning or throwing:
 * its first move (for harnesses of in-process links).
 */
export function firstAnswer(moves: readonly NodeMove[]): RoundReport {
  const first = moves[0];
  if (first?.kind === "report") return first.report;
  if (first?.kind === "fail") throw new Error(first.reason);
  throw new Error(`an in-process node cannot ${first?.kind ?? "stay silent"}`);
}

/** The node that answers every order with its own report. */
export const answersEveryRound: NodeScript = (order) => [
  { kind: "report", report: conformanceReport(order) },
];

const PENDING = Symbol("pending");

/**
 * What `p` has settled to after one turn of the event loop, or PENDING: "promptly" is before
 * any deadline of the link's (its timers are the harness's fake ones, never moved on here).
 */
async function afterOneTurn<T>(p: Promise<T>): Promise<T | typeof PENDING> {
  const turn = new Promise<typeof PENDING>((resolve) => setTimeout(() => resolve(PENDING), 0));
  return Promise.race([p, turn]);
}

/** A report of round `round` as a node would send it for an order of that round. */
function reportOfRound(round: number): RoundReport {
  return conformanceReport(conformanceOrder(round));
}

/** Registers the NodeLink contract's tests for the harness's link. */
export function nodeLinkConformance(harness: NodeLinkHarness): void {
  const can = (c: NodeCapability) => harness.can.includes(c);
  // Only the tests the harness's node can play are registered: in this project a skipped test
  // means a missing prerequisite.
  const itWhere = (applies: boolean) => (name: string, test: () => Promise<void>) => {
    if (applies) it(name, test);
  };

  describe(`NodeLink conformance: ${harness.name}`, () => {
    let open: LinkUnderTest[] = [];
    afterEach(async () => {
      const closing = open;
      open = [];
      await Promise.all(closing.map((t) => t.close()));
    });

    const start = async (node: NodeScript = answersEveryRound): Promise<LinkUnderTest> => {
      const t = await harness.create({ modelSize: CONFORMANCE_MODEL_SIZE, node });
      open.push(t);
      return t;
    };

    /** Asks one round and lets it finish: the node's moves, then its deadline if need be. */
    const roundOn = async (t: LinkUnderTest, order: RoundOrder): Promise<RoundOutcome> => {
      const outcome = t.link.runRound(order);
      await t.settled();
      t.passDeadline?.();
      return outcome;
    };

    /** The moves for an order of round `round`; the node's own report for every other. */
    const onRound =
      (round: number, moves: readonly NodeMove[]): NodeScript =>
      (order) =>
        order.round === round ? moves : answersEveryRound(order);

    it("says what it can do truthfully: stop exactly when it tells the node", async () => {
      const t = await start();
      expect(t.link.stop !== undefined).toBe(can("stop"));
      expect([undefined, true, false]).toContain(t.link.readsWeightsOnly);
    });

    it("answers each round it is asked with the node's report of that round", async () => {
      const t = await start();
      for (const round of [1, 2, 3, 7]) {
        const order = conformanceOrder(round);
        const outcome = await roundOn(t, order);
        expect(outcome).toMatchObject({ ok: true, report: conformanceReport(order) });
      }
    });

    for (const [when, offset] of [
      ["before", -1],
      ["after", 1],
    ] as const) {
      it(`never takes a report of the round ${when} for the round asked`, async () => {
        const stray = reportOfRound(3 + offset);
        const t = await start(onRound(3, [{ kind: "report", report: stray }]));
        await roundOn(t, conformanceOrder(1));
        await roundOn(t, conformanceOrder(2));
        const outcome = await roundOn(t, conformanceOrder(3));
        expect(outcome.ok ? `a report of round ${outcome.report.round}` : "no report").toBe(
          "no report",
        );
      });
    }

    itWhere(can("several-answers") && can("silence"))(
      "drops the late report of a round given up, and one of the next round, and takes the round's own",
      async () => {
        const order = conformanceOrder(3);
        const t = await start((o) => {
          if (o.round === 2) return []; // silent: round 2 times out
          if (o.round !== 3) return answersEveryRound(o);
          return [
            { kind: "report", report: reportOfRound(2) },
            { kind: "report", report: reportOfRound(4) },
            { kind: "report", report: conformanceReport(order) },
          ];
        });
        await roundOn(t, conformanceOrder(1));
        expect(await roundOn(t, conformanceOrder(2))).toMatchObject({ ok: false, code: "timeout" });
        const outcome = t.link.runRound(order);
        await t.settled();
        expect(await afterOneTurn(outcome)).toMatchObject({
          ok: true,
          report: conformanceReport(order),
        });
      },
    );

    it("takes a node's failure for a failure, never for a report", async () => {
      const reason = "cannot load its data set";
      const t = await start(() => [{ kind: "fail", reason }]);
      const outcome = await roundOn(t, conformanceOrder(1));
      expect(outcome).toMatchObject({ ok: false, code: "node-error" });
      expect(outcome.ok ? "a report" : outcome.message).toContain(reason);
    });

    it("hands on a report with NaN in full (the engine decides what a diverged node means)", async () => {
      const order = conformanceOrder(2);
      const weights = conformanceReport(order).weights.slice();
      weights[1] = Number.NaN;
      weights[4] = Number.POSITIVE_INFINITY;
      const diverged = conformanceReport(order, { weights, lossAtGlobal: Number.NaN });
      const t = await start(() => [{ kind: "report", report: diverged }]);
      expect(await roundOn(t, order)).toMatchObject({ ok: true, report: diverged });
    });

    it("never throws for a report of the wrong size: a failure, or the report as it came", async () => {
      const order = conformanceOrder(1);
      const short = conformanceReport(order, {
        weights: conformanceReport(order).weights.subarray(1),
      });
      const t = await start(() => [{ kind: "report", report: short }]);
      const outcome = await roundOn(t, order);
      if (outcome.ok) expect(outcome.report.weights.length).toBe(CONFORMANCE_MODEL_SIZE - 1);
      else expect(outcome.code).toBe("invalid-report");
    });

    itWhere(can("garbage"))(
      "never throws for garbage: the round is an invalid report",
      async () => {
        const t = await start(() => [{ kind: "garbage" }]);
        expect(await roundOn(t, conformanceOrder(1))).toMatchObject({
          ok: false,
          code: "invalid-report",
        });
      },
    );

    itWhere(can("disconnect"))(
      "reports a node that goes away mid-round as lost, and at once in the rounds after",
      async () => {
        const t = await start(onRound(2, [{ kind: "disconnect" }]));
        await roundOn(t, conformanceOrder(1));
        const lost = t.link.runRound(conformanceOrder(2));
        await t.settled();
        expect(await afterOneTurn(lost)).toMatchObject({ ok: false, code: "disconnected" });
        const next = t.link.runRound(conformanceOrder(3));
        expect(await afterOneTurn(next)).toMatchObject({ ok: false, code: "disconnected" });
      },
    );

    itWhere(can("silence"))(
      "waits for a silent node until the deadline, then reports it lost (timeout)",
      async () => {
        const t = await start(onRound(1, []));
        const outcome = t.link.runRound(conformanceOrder(1));
        await t.settled();
        expect(await afterOneTurn(outcome)).toBe(PENDING);
        t.passDeadline?.();
        expect(await outcome).toMatchObject({ ok: false, code: "timeout" });
      },
    );

    it("honours readsWeightsOnly: the order's weights stay as they were, in the round and after", async () => {
      const t = await start();
      if (t.link.readsWeightsOnly !== true) return; // the engine gives it a copy of its own
      const order = conformanceOrder(2);
      const before = order.weights.slice();
      const outcome = await roundOn(t, order);
      if (outcome.ok) outcome.report.weights.fill(99); // what the engine may do with an answer
      await roundOn(t, { ...conformanceOrder(3), weights: order.weights });
      await t.link.stop?.({
        stop: { reason: "round-limit", fullRounds: 3 },
        finalWeights: Float64Array.of(1, 2),
      });
      expect(order.weights).toEqual(before);
    });

    itWhere(can("stop"))(
      "stop resolves with no timer run, and tells the node the final weights",
      async () => {
        const t = await start();
        await roundOn(t, conformanceOrder(1));
        const finalWeights = conformanceOrder(9).weights;
        const stopped = t.link.stop?.({
          stop: { reason: "round-limit", fullRounds: 1 },
          finalWeights,
        } satisfies RunEnd);
        expect(await afterOneTurn(Promise.resolve(stopped))).toBeUndefined();
        if (t.stopHeard !== undefined) expect(await t.stopHeard()).toEqual(finalWeights);
      },
    );

    itWhere(can("stop") && can("silence"))(
      "stop answers a round still pending, promptly and without a report",
      async () => {
        const t = await start(onRound(1, []));
        const outcome = t.link.runRound(conformanceOrder(1));
        await t.settled();
        const stopped = t.link.stop?.({
          stop: { reason: "cancelled" },
          finalWeights: conformanceOrder(1).weights,
        });
        expect(await afterOneTurn(Promise.resolve(stopped))).toBeUndefined();
        expect(await afterOneTurn(outcome)).toMatchObject({ ok: false });
      },
    );

    itWhere(can("stop") && can("disconnect"))(
      "stop resolves promptly for a node that is gone",
      async () => {
        const t = await start(onRound(1, [{ kind: "disconnect" }]));
        await roundOn(t, conformanceOrder(1));
        const stopped = t.link.stop?.({
          stop: { reason: "failed", error: { code: "no-reports", message: "no node reported" } },
          finalWeights: conformanceOrder(1).weights,
        });
        expect(await afterOneTurn(Promise.resolve(stopped))).toBeUndefined();
      },
    );
  });
}
