import type { Batch } from "./batch.js";
import type { Dataset } from "./dataset.js";

/**
 * What a model learns from a data set's labels:
 * - `even-odd`: +1 for an even class, -1 for an odd one (the flagship smooth-SVM task);
 * - `digits`: the class index 0..9 itself, 10 classes (softmax, MLP);
 * - `value`: the label as a number (regression, e.g. a CSV's target column).
 */
export type TaskKind = "even-odd" | "digits" | "value";

export const TASK_KINDS: readonly TaskKind[] = ["even-odd", "digits", "value"];

export function isTaskKind(s: unknown): s is TaskKind {
  return typeof s === "string" && (TASK_KINDS as readonly string[]).includes(s);
}

/** Number of classes of a task's targets: 2 for even-odd, 10 for digits, undefined for value. */
export function taskClasses(task: TaskKind): number | undefined {
  return task === "even-odd" ? 2 : task === "digits" ? 10 : undefined;
}

/**
 * The targets of the given rows (all rows when omitted) for a task. A label the task cannot use
 * (a class 12 or 2.5 for digits, a fraction for even-odd, a non-finite value) is an error naming
 * the data set and the row.
 */
export function taskTargets(
  ds: Dataset,
  task: TaskKind,
  rows: ArrayLike<number> = identity(ds.rows),
): Float64Array {
  const y = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (!(Number.isInteger(i) && i >= 0 && i < ds.rows)) {
      throw new RangeError(`Cannot select row ${i} of "${ds.name}": it has ${ds.rows} rows`);
    }
    const label = ds.labels[i];
    const fail = (expected: string): never => {
      throw new RangeError(
        `Cannot use data set "${ds.name}" for task "${task}": row ${i} has label ${label}, expected ${expected}`,
      );
    };
    switch (task) {
      case "even-odd":
        if (!Number.isInteger(label) || label < 0) fail("a non-negative integer class");
        y[k] = label % 2 === 0 ? 1 : -1;
        break;
      case "digits":
        if (!Number.isInteger(label) || label < 0 || label > 9) fail("a class 0..9");
        y[k] = label;
        break;
      case "value":
        if (!Number.isFinite(label)) fail("a finite number");
        y[k] = label;
        break;
      default:
        throw new RangeError(`Unknown task "${task as string}": expected ${TASK_KINDS.join(", ")}`);
    }
  }
  return y;
}

/**
 * A data set (or some of its rows) as a model's Batch. Without `rows` the batch shares the data
 * set's feature array (models copy it into their kernel layout anyway); with `rows` the selected
 * features are copied, in the given order.
 */
export function toBatch(ds: Dataset, task: TaskKind, rows?: ArrayLike<number>): Batch {
  if (rows === undefined) {
    return { x: ds.features, y: taskTargets(ds, task), rows: ds.rows, dim: ds.dim };
  }
  const y = taskTargets(ds, task, rows);
  const x = new Float32Array(rows.length * ds.dim);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    x.set(ds.features.subarray(i * ds.dim, (i + 1) * ds.dim), k * ds.dim);
  }
  return { x, y, rows: rows.length, dim: ds.dim };
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
