/**
 * Softmax output layer with cross-entropy loss, shared by softmax regression and the MLP.
 * Logits are `rows` x `classes`, row-major, float64.
 */

/**
 * Mean over rows of -log softmax(z_j)[y_j], computed as logsumexp(z_j) - z_j[y_j] with the row
 * maximum subtracted first, so large logits cannot overflow exp. When `dLogits` is given, writes
 * the gradient of that mean with respect to the logits: (softmax(z_j) - onehot(y_j)) / rows.
 */
export function softmaxCrossEntropy(
  logits: Float64Array,
  y: Float64Array,
  rows: number,
  classes: number,
  dLogits?: Float64Array,
): number {
  let total = 0;
  for (let j = 0; j < rows; j++) {
    const o = j * classes;
    let max = Number.NEGATIVE_INFINITY;
    // Math.max keeps a NaN logit visible (a comparison would silently skip it).
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]);
    let sumExp = 0;
    for (let c = 0; c < classes; c++) sumExp += Math.exp(logits[o + c] - max);
    const target = y[j];
    // Shifted form: max + log(sumExp) - z would lose log(sumExp) next to a huge max.
    total += Math.log(sumExp) - (logits[o + target] - max);
    if (dLogits) {
      for (let c = 0; c < classes; c++) {
        const p = Math.exp(logits[o + c] - max) / sumExp;
        dLogits[o + c] = (p - (c === target ? 1 : 0)) / rows;
      }
    }
  }
  return total / rows;
}

/** The index of each row's largest logit (the first on ties); NaN for a row holding a NaN. */
export function argmaxRows(logits: Float64Array, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    const o = j * classes;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const v = logits[o + c];
      if (Number.isNaN(v)) {
        best = Number.NaN;
        break;
      }
      if (v > logits[o + best]) best = c;
    }
    out[j] = best;
  }
  return out;
}

/** Share of rows whose prediction equals the target. */
export function shareCorrect(predicted: Float64Array, y: Float64Array): number {
  let correct = 0;
  for (let j = 0; j < y.length; j++) if (predicted[j] === y[j]) correct++;
  return correct / y.length;
}

/**
 * `softmaxCrossEntropy` and the share of rows whose largest logit (the first on ties) is the
 * target, in one pass over the logits and without allocating: what softmax regression and the
 * MLP report. A row holding a NaN makes the loss NaN and counts as wrong, as with `argmaxRows`.
 */
export function softmaxEvaluation(
  logits: Float64Array,
  y: Float64Array,
  rows: number,
  classes: number,
): { loss: number; accuracy: number } {
  let total = 0;
  let correct = 0;
  for (let j = 0; j < rows; j++) {
    const o = j * classes;
    let best = 0;
    let max = logits[o];
    for (let c = 1; c < classes; c++) {
      const v = logits[o + c];
      if (v > max) {
        max = v;
        best = c;
      } else if (Number.isNaN(v)) {
        max = v; // NaN from here on: no later comparison succeeds, and the loss turns NaN
      }
    }
    let sumExp = 0;
    for (let c = 0; c < classes; c++) sumExp += Math.exp(logits[o + c] - max);
    const target = y[j];
    total += Math.log(sumExp) - (logits[o + target] - max);
    if (best === target && !Number.isNaN(max)) correct++;
  }
  return { loss: total / rows, accuracy: correct / rows };
}
