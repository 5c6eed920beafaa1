import { afterEach, describe, expect, it } from "vitest";
import type { LearningSetup } from "../../aggregator/learning-setup.js";
import { syntheticSplit } from "../../aggregator/test-support/synthetic-split.js";
import type { DatasetSplit } from "../../core/data/dataset.js";
import type { DashboardChange, DashboardSource, NodeView } from "../dashboard-source.js";
import { type Change, Heard } from "./heard-changes.js";
import { svmSetup } from "./svm-setup.js";

/**
 * The behaviours a page relies on, which every DashboardSource keeps (the aggregator's adapter,
 * the simulator's...): one suite, registered by each source's test with a factory.
 */

/** What a factory is given: the setup every run learns, the data, the number of nodes. */
export interface SourceCase {
  readonly setup: LearningSetup;
  readonly data: DatasetSplit;
  /** Nodes named n1, n2, ... */
  readonly nodes: number;
}

export interface SourceUnderTest {
  readonly source: DashboardSource;
  /** Starts the runs, one after another until closed (the aggregator with its nodes...). */
  start(): Promise<void> | void;
  /** Ends the run under way and everything else. */
  close(): Promise<void>;
}

export type SourceFactory = (c: SourceCase) => Promise<SourceUnderTest> | SourceUnderTest;

/** A small even/odd data set: rounds take a moment, runs end by their round limit. */
const data = syntheticSplit(300, 60, 16, 5);
const NODES = 2;
// A time budget no run reaches: every run ends at its round limit.
const setup = svmSetup({ sgd: 20, eta: 0.1, seed: 3, budget: 600, rounds: 3 });

/** Lets the event loop go round `n` times: whatever a source had queued has happened. */
async function turns(n = 50): Promise<void> {
  for (let k = 0; k < n; k++) await new Promise((resolve) => setImmediate(resolve));
}

const isType =
  <T extends DashboardChange["type"]>(type: T, ok: (c: Change<T>) => boolean = () => true) =>
  (c: DashboardChange): boolean =>
    c.type === type && ok(c as Change<T>);

/** The latest view of each node among the changes (those with a data size, with `sized`). */
function latestNodes(changes: readonly DashboardChange[], sized = false): Map<string, NodeView> {
  const nodes = new Map<string, NodeView>();
  for (const c of changes) {
    if (c.type === "node" && (!sized || c.node.dataSize !== null)) nodes.set(c.node.id, c.node);
  }
  return nodes;
}

/** Registers the suite for one kind of source. */
export function dashboardSourceCases(name: string, make: SourceFactory): void {
  describe(`${name} keeps the DashboardSource behaviours`, () => {
    let open: SourceUnderTest[] = [];
    afterEach(async () => {
      for (const s of open) await s.close();
      open = [];
    });

    async function started(patch: Partial<LearningSetup> = {}) {
      const made = await make({ setup: { ...setup, ...patch }, data, nodes: NODES });
      open.push(made);
      const heard = new Heard(made.source);
      await made.start();
      return { ...made, heard };
    }

    it("shows the setup in its settings, before and after it starts", async () => {
      const made = await make({ setup: { ...setup, case: 4, tau: 7 }, data, nodes: NODES });
      open.push(made);
      const expected = { case: 4, tauMode: 7, budgetSeconds: 600, delayMs: 0, running: true };
      expect(made.source.settings()).toEqual(expected);
      const heard = new Heard(made.source);
      await made.start();
      await heard.until((cs) => cs.some(isType("run-start")));
      expect(made.source.settings()).toEqual(expected);
      expect(heard.of("run-start")[0].run.setup).toMatchObject({
        model: "svm",
        task: "even-odd",
        case: 4,
        tauMode: 7,
        budgetSeconds: 600,
        nodes: NODES,
      });
    });

    it("reports a run's start, its rounds in order, and its end once, then the next run", async () => {
      const { heard } = await started();
      await heard.until((cs) => cs.filter(isType("run-end")).length >= 2);
      const runs = heard.of("run-start").map((c) => c.run.id);
      expect(new Set(runs).size).toBe(runs.length);
      let current: string | null = null;
      let last = 0;
      const ended = new Set<string>();
      for (const c of heard.changes) {
        if (c.type === "run-start") {
          expect(current, "a run starts while another is going").toBeNull();
          current = c.run.id;
          last = 0;
        } else if (c.type === "round") {
          expect(c.runId, `round ${c.event.round} of a run not going`).toBe(current);
          expect(c.event.round, `round after ${last}`).toBe(last + 1);
          last = c.event.round;
        } else if (c.type === "run-end") {
          expect(c.runId, "the end of a run not going").toBe(current);
          expect(ended.has(c.runId), `${c.runId} ended twice`).toBe(false);
          ended.add(c.runId);
          // The round limit: 3 full rounds and the evaluation-only one.
          expect(c.reason).toBe("round-limit");
          expect(last).toBe(4);
          current = null;
        }
      }
    });

    it("reports every node with its part of the data before the first round", async () => {
      const { heard } = await started();
      await heard.until((cs) => cs.some(isType("round")));
      const nodes = latestNodes(heard.changes.slice(0, heard.find(isType("round"))), true);
      expect([...nodes.keys()].sort()).toEqual(["n1", "n2"]);
      const total = [...nodes.values()].reduce((sum, n) => sum + (n.dataSize ?? 0), 0);
      expect(total).toBe(data.train.rows);
      for (const n of nodes.values()) expect(n.labelHistogram).toHaveLength(10);
    });

    it("gives the global model's verdicts after the round they are about", async () => {
      const { heard } = await started();
      await heard.until((cs) => cs.filter(isType("predictions")).length >= 3);
      let lastRound: number | null = null;
      for (const c of heard.changes) {
        if (c.type === "run-start") lastRound = null;
        if (c.type === "round") lastRound = c.event.round;
        if (c.type === "predictions") {
          expect(c.round).toBe(lastRound);
          expect(c.verdicts.every((v) => v === "even" || v === "odd")).toBe(true);
        }
      }
    });

    it("follows the controls: a budget from the next run, a tau and a case at once", async () => {
      const { source, heard } = await started();
      await heard.until((cs) => cs.some(isType("round")));
      expect(await source.control({ type: "set-budget", seconds: 42 })).toEqual({ ok: true });
      expect(source.settings().budgetSeconds).toBe(42);
      expect(heard.of("settings").at(-1)?.settings.budgetSeconds).toBe(42);

      const mark = heard.changes.length;
      expect(await source.control({ type: "set-tau", tau: 2 })).toEqual({ ok: true });
      expect(source.settings()).toMatchObject({ tauMode: 2, budgetSeconds: 42 });
      expect(heard.of("settings").at(-1)?.settings).toMatchObject({ tauMode: 2 });
      const fixedRun = (c: DashboardChange) => c.type === "run-start" && c.run.setup.tauMode === 2;
      await heard.until((cs) => cs.slice(mark).some(isType("run-end")));
      await heard.until((cs) => {
        const at = cs.findIndex((c, i) => i >= mark && fixedRun(c));
        return at >= 0 && cs.slice(at).filter(isType("round")).length >= 2;
      });
      const at = heard.find(fixedRun, mark);
      const run = heard.changes[at] as Change<"run-start">;
      expect(run.run.setup.budgetSeconds).toBe(42);
      const rounds = heard.changes
        .slice(at)
        .filter(
          isType("round", (c) => c.runId === run.run.id && c.event.kind !== "evaluation"),
        ) as Change<"round">[];
      expect(rounds.map((c) => c.event.tau)).toEqual(rounds.map(() => 2));

      expect(await source.control({ type: "set-case", case: 2 })).toEqual({ ok: true });
      expect(source.settings().case).toBe(2);
      await heard.until((cs) => cs.some((c) => c.type === "run-start" && c.run.setup.case === 2));
    });

    it("shows a delay on the nodes it is for, and refuses one for an unknown node", async () => {
      const { source, heard } = await started();
      await heard.until((cs) => latestNodes(cs).size === NODES);
      expect(await source.control({ type: "set-delay", ms: 7 })).toEqual({ ok: true });
      expect(source.settings().delayMs).toBe(7);
      await heard.until((cs) => [...latestNodes(cs).values()].every((n) => n.delayMs === 7));
      expect(await source.control({ type: "set-delay", ms: 9, node: "n2" })).toEqual({
        ok: true,
      });
      await heard.until((cs) => latestNodes(cs).get("n2")?.delayMs === 9);
      expect(latestNodes(heard.changes).get("n1")?.delayMs).toBe(7);
      expect(source.settings().delayMs).toBe(7);
      expect(await source.control({ type: "set-delay", ms: 5, node: "n9" })).toEqual({
        ok: false,
        message: 'No node "n9"',
      });
    });

    it("stops: ends the run under way, starts none until start, then a new one", async () => {
      const { source, heard } = await started();
      await heard.until((cs) => cs.some(isType("round")));
      const mark = heard.changes.length;
      expect(await source.control({ type: "stop" })).toEqual({ ok: true });
      expect(source.settings().running).toBe(false);
      expect(heard.of("settings").at(-1)?.settings.running).toBe(false);
      // The run under way ends now, not at its round limit.
      await heard.until((cs) => cs.slice(mark).some(isType("run-end")));
      const stoppedAt = heard.find(isType("run-end"), mark);
      expect((heard.changes[stoppedAt] as Change<"run-end">).reason).toBe("operator");
      await turns();
      const after = heard.changes.slice(stoppedAt + 1);
      expect(after.filter((c) => c.type === "round" || c.type === "run-start")).toEqual([]);

      expect(await source.control({ type: "start" })).toEqual({ ok: true });
      expect(source.settings().running).toBe(true);
      await heard.until((cs) => cs.slice(stoppedAt).some(isType("round")));
    });

    it("tells a listener nothing after it unsubscribes", async () => {
      const { heard, source } = await started();
      const other = new Heard(source);
      await other.until((cs) => cs.some(isType("round")));
      other.unsubscribe();
      const count = other.changes.length;
      const rounds = heard.of("round").length;
      await heard.until((cs) => cs.filter(isType("round")).length >= rounds + 2);
      expect(other.changes).toHaveLength(count);
    });

    it("emits nothing once closed", async () => {
      const made = await started();
      await made.heard.until((cs) => cs.some(isType("round")));
      await made.close();
      open = open.filter((s) => s !== made);
      const count = made.heard.changes.length;
      await turns();
      expect(made.heard.changes).toHaveLength(count);
    });
  });
}
