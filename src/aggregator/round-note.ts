import type { RoundEvent } from "../core/federation/round-event.js";

/**
 * A round in one line for the aggregator's log, e.g.
 * `round 7 tau 5: loss 0.23451, test accuracy 0.8712, c 0.41 ms, b 0.83 ms, next tau 12 (5/5 nodes)`.
 */
export function describeRound(e: RoundEvent, nodes: number): string {
  const parts: string[] = [];
  if (e.lossAtStart !== null) parts.push(`loss ${e.lossAtStart.toPrecision(5)}`);
  if (e.testAccuracy !== null) parts.push(`test accuracy ${e.testAccuracy.toFixed(4)}`);
  const time = e.costs.time;
  if (time?.c !== null && time?.c !== undefined) parts.push(`c ${ms(time.c)}`);
  if (time?.b !== null && time?.b !== undefined) parts.push(`b ${ms(time.b)}`);
  if (e.nextTau !== null) parts.push(`next tau ${e.nextTau}`);
  const kind = e.evaluationOnly ? " (evaluation only)" : e.lastRound ? " (last)" : "";
  return `round ${e.round} tau ${e.tau}${kind}: ${parts.join(", ")} (${e.reported.length}/${nodes} nodes)`;
}

function ms(seconds: number): string {
  const m = seconds * 1000;
  return `${m < 10 ? m.toFixed(2) : m.toFixed(1)} ms`;
}

/**
 * Why tau changes after a round, in one line for the log and the dashboard, e.g.
 * `round 7: tau 10 -> 31: b (time) 0.131 -> 1.31` (the controller's `output.change.text`); null
 * when the next round keeps the round's tau, or none follows: one line per change, not per round.
 */
export function tauChangeLine(e: RoundEvent): string | null {
  const { tau, change } = e.control.output;
  if (tau === null || tau === e.tau) return null;
  return `round ${e.round}: ${change.text}`;
}
