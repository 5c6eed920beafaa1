import type { Dataset, DatasetSplit } from "./dataset.js";
import { seededSplit } from "./train-test-split.js";

/**
 * The seed of the train/test split of a CSV file that comes without a test file. Fixed, so every
 * run (and every node holding the same file) holds out the same rows.
 */
export const CSV_SPLIT_SEED = 20190602;

/** Share of a CSV's rows held out for testing when it comes without a test file. */
export const CSV_TEST_FRACTION = 0.2;

/**
 * Holds out round(rows * testFraction) rows chosen by a permutation seeded with `seed` (at least
 * one when testFraction > 0, and never all of them); both parts keep the file's row order.
 */
export function csvTrainTestSplit(
  ds: Dataset,
  testFraction = CSV_TEST_FRACTION,
  seed = CSV_SPLIT_SEED,
): DatasetSplit {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(
      `Cannot split "${ds.name}": test fraction ${testFraction} is not in [0, 1)`,
    );
  }
  let testRows = Math.round(ds.rows * testFraction);
  if (testFraction > 0) testRows = Math.max(testRows, 1);
  testRows = Math.min(testRows, ds.rows - 1);
  return seededSplit(ds, testRows, seed, true);
}
