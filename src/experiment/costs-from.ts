import { join } from "node:path";
import { findRecords, readRounds } from "../record/read-record.js";
import { ROUNDS_FILE } from "../record/record-files.js";
import { type RecordedCostSamples, recordedCostSamples } from "../sim/recorded-costs.js";

/**
 * The cost samples of the recorded run in `dir` (`fedtau experiment --costs-from DIR`): its
 * directory, or one holding exactly one recorded run. Throws an Error with one sentence naming
 * the file (and line) when there is no record, several, a malformed one, or one with nothing to
 * draw from.
 */
export function loadRecordedCosts(dir: string): RecordedCostSamples {
  const found = findRecords(dir);
  if (!found.ok) throw new Error(`Cannot draw costs from ${found.problem.message}`);
  if (found.value.length > 1) {
    const shown = found.value.slice(0, 3).join(", ");
    const more = found.value.length > 3 ? ", ..." : "";
    throw new Error(
      `Cannot draw costs from ${dir}: it holds ${found.value.length} recorded runs (${shown}${more}); give the directory of one`,
    );
  }
  const runDir = found.value[0];
  const rounds = readRounds(runDir);
  if (!rounds.ok) throw new Error(`Cannot draw costs from ${rounds.problem.message}`);
  const samples = recordedCostSamples(rounds.value.map((r) => r.input));
  if (!samples.ok) {
    throw new Error(`Cannot draw costs from ${join(runDir, ROUNDS_FILE)}: ${samples.message}`);
  }
  return samples.samples;
}
