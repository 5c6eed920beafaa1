import type { SearchRecord } from "../core/control/control-record.js";
import { boundAt } from "../core/control/tau-search.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import type { Tau } from "../core/units.js";
import { roundPoint } from "./round-point.js";
import type { RoundPoint, WireDecision, WireSearch } from "./wire-types.js";

/**
 * The controller panel's data, made here on the server from each round event's
 * `control.output.search` with core's `boundAt`, rather than in the page: the page imports no
 * core code (web-imports.test.ts keeps its bundle to the dashboard's own browser modules), the
 * curve is computed once per round for every client rather than in each, and what travels is
 * plain finite numbers (a SearchRecord may hold Infinity, which JSON cannot carry). The curve is
 * derived from the record, never stored: the source and the dashboard keep round events only.
 */

/** Points of one G(tau) curve at most. */
export const MAX_CURVE_POINTS = 100;

/**
 * The candidates to evaluate: every tau of 1 .. last when they fit in `max`, else `max` spread
 * evenly over the range (1 and last included) with the `marks` among them; ascending.
 */
export function curveCandidates(last: Tau, max: number, marks: readonly Tau[]): Tau[] {
  const top = Math.max(1, Math.floor(last));
  if (top <= max) return Array.from({ length: top }, (_, k) => k + 1);
  const inRange = [...new Set(marks.filter((t) => Number.isInteger(t) && t >= 1 && t <= top))];
  const spread = Math.max(2, max - inRange.length);
  const taus = new Set(inRange);
  for (let k = 0; k < spread; k++) taus.add(Math.round(1 + (k * (top - 1)) / (spread - 1)));
  return [...taus].sort((a, b) => a - b);
}

/**
 * G(tau) over the search's candidates (see `curveCandidates`), as `boundAt` gives it from the
 * record; candidates that are infeasible (null), not finite or not positive (a log scale) are
 * left out.
 */
export function boundCurve(
  search: SearchRecord,
  marks: readonly Tau[] = [],
  max = MAX_CURVE_POINTS,
): { tau: number[]; g: number[] } {
  const tau: number[] = [];
  const g: number[] = [];
  for (const t of curveCandidates(search.lastCandidate, max, marks)) {
    const v = boundAt(search, t);
    if (v === null || !Number.isFinite(v) || !(v > 0)) continue;
    tau.push(t);
    g.push(v);
  }
  return { tau, g };
}

/** The search as the panel shows it: its inputs, result and curve (marks: chosen tau, argmin). */
export function searchView(search: SearchRecord, chosen: Tau | null): WireSearch {
  const marks = chosen === null ? [search.argmin] : [chosen, search.argmin];
  return {
    beta: finite(search.beta),
    delta: finite(search.delta),
    rho: finite(search.rho),
    resources: search.resources.map((r) => ({
      name: r.name,
      budget: finite(r.budget),
      c: finite(r.c),
      b: finite(r.b),
    })),
    lastCandidate: search.lastCandidate,
    argmin: search.argmin,
    objective: finite(search.objective),
    curve: boundCurve(search, marks),
  };
}

/** A round event's decision (`control.output`) as the panel shows it. */
export function decisionView(event: RoundEvent): WireDecision {
  const { tau, change, binding, search } = event.control.output;
  return {
    nextTau: tau,
    cause: change.cause,
    text: change.text,
    binding,
    search: search === null ? null : searchView(search, tau),
  };
}

/** The round's chart point with its decision (a round as streamed: the newest). */
export function decidedPoint(event: RoundEvent): RoundPoint {
  return { ...roundPoint(event), decision: decisionView(event) };
}

/**
 * A run's chart points, the decision only on the newest round and on the newest round with a
 * search (the panel shows the latest curve even after the last rounds, which search nothing).
 */
export function runPoints(events: readonly RoundEvent[]): RoundPoint[] {
  const newest = events.length - 1;
  let searched = newest;
  while (searched >= 0 && events[searched].control.output.search === null) searched--;
  return events.map((e, k) => (k === newest || k === searched ? decidedPoint(e) : roundPoint(e)));
}

function finite(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
