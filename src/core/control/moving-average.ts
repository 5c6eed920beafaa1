/**
 * One step of the exponential moving average of an estimate (docs/algorithm.md section 2):
 * `avg <- gamma avg + (1 - gamma) value`. The first usable value starts the average, and a value
 * that is missing or not finite leaves it unchanged, so a NaN never enters it.
 *
 * gamma = 0 (the default of the authors' runs) makes the average the latest usable value.
 */
export function movingAverage(
  avg: number | null,
  value: number | null,
  gamma: number,
): number | null {
  if (value === null || !Number.isFinite(value)) return avg;
  if (avg === null) return value;
  return gamma * avg + (1 - gamma) * value;
}
