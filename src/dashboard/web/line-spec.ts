import type { SeriesKey } from "./run-series.js";

/** One line of a chart. */
export interface LineSpec {
  readonly metric: SeriesKey;
  readonly label: string;
  /** "r, g, b". */
  readonly rgb: string;
  readonly dash?: number[];
  readonly stepped?: boolean;
}
