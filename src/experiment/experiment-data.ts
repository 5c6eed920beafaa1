import type { Batch } from "../core/data/batch.js";
import type { DatasetSplit } from "../core/data/dataset.js";
import type { DistributionCase } from "../core/data/partition.js";
import { casePartition } from "../core/data/partition.js";
import { type TaskKind, toBatch } from "../core/data/task.js";

/** The data of an experiment, turned into model batches once and shared by every run. */
export interface ExperimentData {
  readonly split: DatasetSplit;
  readonly task: TaskKind;
  /** All training samples (the "full training data" of the final loss). */
  readonly train: Batch;
  readonly test: Batch;
}

export function prepareData(split: DatasetSplit, task: TaskKind): ExperimentData {
  if (split.train.rows === 0)
    throw new Error(`Data set "${split.train.name}" has no training rows`);
  if (split.test.rows === 0) throw new Error(`Data set "${split.test.name}" has no test rows`);
  return { split, task, train: toBatch(split.train, task), test: toBatch(split.test, task) };
}

/**
 * Each node's batch for a distribution case (docs/algorithm.md section 5). Replicated case 3 shares
 * the full training batch among all nodes rather than copying it N times.
 */
export function caseNodeData(
  data: ExperimentData,
  nodes: number,
  caseId: DistributionCase,
): Batch[] {
  if (caseId === 3) return Array.from({ length: nodes }, () => data.train);
  const parts = casePartition(data.split.train.labels, nodes, caseId);
  return parts.map((rows, i) => {
    if (rows.length === 0) {
      throw new Error(
        `Case ${caseId} with ${nodes} nodes leaves node ${i + 1} without data on "${data.split.train.name}": use fewer nodes or another case`,
      );
    }
    return toBatch(data.split.train, data.task, rows);
  });
}
