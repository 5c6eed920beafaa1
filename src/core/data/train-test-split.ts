import { type Dataset, type DatasetSplit, selectRows } from "./dataset.js";
import { Rng } from "./rng.js";

/**
 * Splits a data set by a seeded permutation: the first `testRows` of the permutation become the
 * test set, the rest the training set. With `keepOrder` both parts keep the rows' stored order
 * (a user's file order may mean something); otherwise they come in permutation order.
 */
export function seededSplit(
  ds: Dataset,
  testRows: number,
  seed: number,
  keepOrder = false,
): DatasetSplit {
  if (!Number.isInteger(testRows) || testRows < 0 || testRows > ds.rows) {
    throw new RangeError(
      `Cannot split "${ds.name}" (${ds.rows} rows) with ${testRows} test rows: expected an integer in 0..${ds.rows}`,
    );
  }
  const perm = new Rng(seed).permutation(ds.rows);
  const test = perm.subarray(0, testRows);
  const train = perm.subarray(testRows);
  if (keepOrder) {
    test.sort();
    train.sort();
  }
  return {
    train: selectRows(ds, train, `${ds.name} (train)`),
    test: selectRows(ds, test, `${ds.name} (test)`),
  };
}
