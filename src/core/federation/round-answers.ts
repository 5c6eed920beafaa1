import type { RoundOrder, RoundReport } from "../train/round-report.js";
import type { NodeId } from "../units.js";
import type { NodeLink, RoundOutcome } from "./link.js";
import { checkReport, type ReportExpectation } from "./report-validation.js";
import type { NodeFailure } from "./round-event.js";

/** A round's answers, sorted into the reports that enter it and the nodes left out. */
export interface RoundAnswers {
  /** Valid reports with their node, in link order. */
  readonly reported: readonly { readonly id: NodeId; readonly report: RoundReport }[];
  readonly failed: readonly NodeFailure[];
  /** Some report was left out for NaN or Infinity: a node's model diverged. */
  readonly diverged: boolean;
  /** The bytes the links counted, or undefined when none counts them. */
  readonly bytes: number | undefined;
}

/** Asks one node, turning a link that throws (against its contract) into a failure. */
export async function ask(link: NodeLink, order: RoundOrder): Promise<RoundOutcome> {
  try {
    return await link.runRound(order);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, code: "node-error", message: `Node "${link.id}" failed: ${reason}` };
  }
}

/** Validates every answer (answers[i] from ids[i]); a bad report leaves its node out. */
export function sortAnswers(
  ids: readonly NodeId[],
  answers: readonly RoundOutcome[],
  expect: ReportExpectation,
): RoundAnswers {
  const reported: { id: NodeId; report: RoundReport }[] = [];
  const failed: NodeFailure[] = [];
  let diverged = false;
  let bytes: number | undefined;
  answers.forEach((a, i) => {
    const id = ids[i];
    if (a.bytes !== undefined) bytes = (bytes ?? 0) + a.bytes;
    if (!a.ok) {
      failed.push({ id, code: a.code, message: a.message });
      return;
    }
    const check = checkReport(id, a.report, expect);
    if (check.ok) {
      reported.push({ id, report: a.report });
    } else {
      failed.push({ id, code: "invalid-report", message: check.message });
      diverged ||= check.nonFinite;
    }
  });
  return { reported, failed, diverged, bytes };
}
