import type { RoundOrder, RoundReport } from "../train/round-report.js";
import type { NodeId } from "../units.js";
import type { InProcessTimes } from "./cost-source.js";
import type { NodeLink, RoundOutcome } from "./link.js";
import { checkReport, type ReportExpectation } from "./report-validation.js";
import type { NodeFailure } from "./round-event.js";
import type { WeightedSum } from "./weighted-average.js";

/** A round's answers, sorted into the reports that enter it and the nodes left out. */
export interface RoundAnswers {
  /** Valid reports with their node, in link order. */
  readonly reported: readonly { readonly id: NodeId; readonly report: RoundReport }[];
  readonly failed: readonly NodeFailure[];
  /** Some report was left out for NaN or Infinity: a node's model diverged. */
  readonly diverged: boolean;
  /** The bytes the links counted, or undefined when none counts them. */
  readonly bytes: number | undefined;
  /** The in-process calls' busy times, when every answer has one (see RoundCostInput). */
  readonly inProcess: InProcessTimes | undefined;
}

/**
 * Asks one node, turning a link that throws (against its contract) into a failure. Keeps no
 * reference to the order once the link has it: with many nodes, a copy of the global weights per
 * waiting node would be memory that grows with the number of nodes.
 */
export function ask(link: NodeLink, order: RoundOrder): Promise<RoundOutcome> {
  const id = link.id;
  const failed = (e: unknown): RoundOutcome => {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, code: "node-error", message: `Node "${id}" failed: ${reason}` };
  };
  try {
    return link.runRound(order).then(undefined, failed);
  } catch (e) {
    return Promise.resolve(failed(e));
  }
}

/** A report as the engine keeps it once its weights are in the running sum. */
const SPENT_WEIGHTS = new Float64Array(0);

/**
 * One round's answers as they arrive (streaming aggregation): each is validated at once and, when
 * `sum` is given, its weights are added to the running weighted sum and dropped, so the round
 * holds O(1) weight vectors whatever the number of nodes (and the gradients, which delta needs:
 * delta = sum_i D_i |g_i - g| / D needs g, the mean of all of them, first). The result is the
 * same as sortAnswers over all answers in link order, whatever the order of arrival: the kept
 * reports and failures are listed in link order, and the sum does not depend on the order.
 * The kept reports carry an empty `weights` (unless neither a sum nor `dropWeights` asks so).
 */
export class RoundIntake {
  private readonly outcomes: (RoundOutcome | undefined)[];
  private diverged = false;

  constructor(
    private readonly ids: readonly NodeId[],
    private readonly expect: ReportExpectation,
    private readonly sum: WeightedSum | null,
    /** Keep the reports without their weights even when no sum takes them (evaluation round). */
    private readonly dropWeights = sum !== null,
  ) {
    this.outcomes = new Array(ids.length);
  }

  /** Takes answer i (from ids[i]); returns nothing, so that the caller keeps nothing of it. */
  take(i: number, a: RoundOutcome): void {
    if (this.outcomes[i] !== undefined) throw new Error(`Node "${this.ids[i]}" answered twice`);
    // What the link measured stays with the answer, whatever becomes of its report.
    const measured = {
      ...(a.bytes !== undefined && { bytes: a.bytes }),
      ...(a.busySeconds !== undefined && { busySeconds: a.busySeconds }),
    };
    if (!a.ok) {
      this.outcomes[i] = a;
      return;
    }
    const check = checkReport(this.ids[i], a.report, this.expect);
    if (!check.ok) {
      this.diverged ||= check.nonFinite;
      this.outcomes[i] = { ok: false, code: "invalid-report", message: check.message, ...measured };
      return;
    }
    this.sum?.add(a.report.weights, a.report.dataSize);
    if (!this.dropWeights) {
      this.outcomes[i] = a;
      return;
    }
    this.outcomes[i] = { ok: true, report: { ...a.report, weights: SPENT_WEIGHTS }, ...measured };
  }

  /** The round's answers, as sortAnswers gives them; every answer must have been taken. */
  result(): RoundAnswers {
    const reported: { id: NodeId; report: RoundReport }[] = [];
    const failed: NodeFailure[] = [];
    let bytes: number | undefined;
    let busyTotal = 0;
    let busySlowest = 0;
    let allBusy = true;
    this.ids.forEach((id, i) => {
      const a = this.outcomes[i];
      if (a === undefined) throw new Error(`Node "${id}" has not answered`);
      if (a.bytes !== undefined) bytes = (bytes ?? 0) + a.bytes;
      if (a.busySeconds === undefined) allBusy = false;
      else {
        busyTotal += a.busySeconds;
        busySlowest = Math.max(busySlowest, a.busySeconds);
      }
      if (a.ok) reported.push({ id, report: a.report });
      else failed.push({ id, code: a.code, message: a.message });
    });
    // Only when every node ran in this process: a networked node's time passes while the others
    // compute, so taking their calls out of the wall time would no longer leave just the
    // aggregator's share. Then the wall time counts as measured, as in the networked system.
    const inProcess = allBusy
      ? { totalSeconds: busyTotal, slowestSeconds: busySlowest }
      : undefined;
    return { reported, failed, diverged: this.diverged, bytes, inProcess };
  }
}

/** Validates every answer (answers[i] from ids[i]); a bad report leaves its node out. */
export function sortAnswers(
  ids: readonly NodeId[],
  answers: readonly RoundOutcome[],
  expect: ReportExpectation,
): RoundAnswers {
  const intake = new RoundIntake(ids, expect, null);
  for (let i = 0; i < answers.length; i++) intake.take(i, answers[i]);
  return intake.result();
}
