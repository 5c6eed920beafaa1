/**
 * Counts of each class 0..classes-1 among `labels` (only the given rows when `rows` is given),
 * e.g. for a node's panel on the dashboard. A label outside 0..classes-1 is an error.
 */
export function labelHistogram(
  labels: ArrayLike<number>,
  classes: number,
  rows?: ArrayLike<number>,
): Uint32Array {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(
      `Cannot count labels into ${classes} classes: expected a positive integer`,
    );
  }
  const counts = new Uint32Array(classes);
  const n = rows ? rows.length : labels.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new RangeError(
        `Cannot count label ${label} of sample ${i}: expected a class 0..${classes - 1}`,
      );
    }
    counts[label]++;
  }
  return counts;
}
