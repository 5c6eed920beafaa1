import type { LineSpec } from "./line-spec.js";
import { type RunSeries, shareKey } from "./run-series.js";

/**
 * The lines of the budget chart: one per budgeted resource, its share of the budget spent, named
 * and coloured after the resource.
 */

/** The colour of a budgeted resource's line; others take the spare colours in turn. */
const RESOURCE_COLOURS: Readonly<Record<string, string>> = {
  time: "234, 88, 12",
  bytes: "79, 70, 229",
};
const SPARE_COLOURS = ["13, 148, 136", "219, 39, 119", "100, 116, 139"];

/** One line per budgeted resource, its share of the budget spent; time alone before any round. */
export function budgetLines(resources: readonly string[]): LineSpec[] {
  const names = resources.length > 0 ? resources : ["time"];
  let spare = 0;
  return names.map((resource) => ({
    metric: shareKey(resource),
    label: resource,
    rgb: RESOURCE_COLOURS[resource] ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length],
  }));
}

/** The budgeted resources of the current run, then any only the previous run had. */
export function resourcesOf(current: RunSeries | null, previous: RunSeries | null): string[] {
  const names = [...(current?.resources ?? [])];
  for (const r of previous?.resources ?? []) if (!names.includes(r)) names.push(r);
  return names;
}
