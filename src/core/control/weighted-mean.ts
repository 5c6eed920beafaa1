/** sum D_i v_i / sum D_i over the reports that have a value; null if none has. */
export function weightedMean<R extends { readonly dataSize: number }>(
  reports: readonly R[],
  value: (r: R) => number | undefined,
): number | null {
  let sum = 0;
  let weight = 0;
  for (const r of reports) {
    const v = value(r);
    if (v === undefined) continue;
    sum += r.dataSize * v;
    weight += r.dataSize;
  }
  return weight > 0 ? sum / weight : null;
}
