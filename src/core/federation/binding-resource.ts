import type { ResourceName } from "../units.js";
import type { RoundEvent } from "./round-event.js";

/** What ended a completed run: a budgeted resource ("time", "bytes"...), or the round limit. */
export type BindingCause = ResourceName | "rounds";

/**
 * Which limit ended a run: "rounds" when its last full round is round `maxRounds`, else the
 * budgeted resource the controller named when it made a round the last full one (its decision
 * record, `control.output.binding`); null when no decision named one (cancelled, failed, still
 * going).
 */
export function bindingResource(
  events: readonly RoundEvent[],
  maxRounds?: number,
): BindingCause | null {
  for (let k = events.length - 1; k >= 0; k--) {
    const e = events[k];
    if (e.kind === "last-full" && maxRounds !== undefined && e.round >= maxRounds) return "rounds";
    if (e.control.output.binding !== null) return e.control.output.binding;
  }
  return null;
}
