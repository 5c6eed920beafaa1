import { assignedRows, type DataAssignment } from "../core/data/assignment.js";
import type { Batch } from "../core/data/batch.js";
import type { Dataset, DatasetSplit } from "../core/data/dataset.js";
import { labelHistogram } from "../core/data/label-histogram.js";
import { toBatch } from "../core/data/task.js";
import { loadDataset } from "../datasets/load-dataset.js";

/** Loads a data set by spec ("mnist", "idx:DIR", "csv:FILE"). */
export type LoadSplit = (spec: string) => Promise<DatasetSplit>;

/** A node's local data for a run: raw samples that never leave the node. */
export interface NodeData {
  /** What it is, for the log: `part 2/5 of "mnist" (case 1)`, `own data "csv:my.csv"`. */
  readonly description: string;
  /** The training set it comes from, and the node's rows of it (undefined: all of them). */
  readonly dataset: Dataset;
  readonly rows: Uint32Array | undefined;
  /** The model's view: features and task targets, D_i = batch.rows. */
  readonly batch: Batch;
  /** Samples per class 0, 1, ...; empty for regression data. */
  readonly labelHistogram: readonly number[];
}

/**
 * Loads what a data assignment gives the node: the named data set, loaded locally, and the
 * node's part of its training rows computed from the assignment (assignedRows), or the node's
 * own data (--data), which overrides the assignment (only its task is used). Keeps the last data
 * set and the last node data, so a new run with the same assignment reloads nothing.
 */
export class NodeDataLoader {
  private split: { readonly spec: string; readonly value: Promise<DatasetSplit> } | undefined;
  private last: { readonly key: string; readonly data: NodeData } | undefined;

  constructor(
    private readonly load: LoadSplit = (spec) => loadDataset(spec),
    private readonly ownData?: string,
  ) {}

  /** The node's data for an assignment; `reloaded` is false when it is the previous run's. */
  async forAssignment(a: DataAssignment): Promise<{ data: NodeData; reloaded: boolean }> {
    const own = this.ownData;
    const key = own === undefined ? JSON.stringify(a) : JSON.stringify([own, a.task]);
    if (this.last?.key === key) return { data: this.last.data, reloaded: false };
    const spec = own ?? a.dataset;
    const { train } = await this.splitOf(spec);
    const rows = own === undefined ? assignedRows(train.labels, a) : undefined;
    if ((rows?.length ?? train.rows) === 0) {
      throw new Error(
        `part ${a.nodeIndex + 1}/${a.nodeCount} of "${spec}" (${partitionName(a)}) has no samples`,
      );
    }
    const data: NodeData = {
      description:
        own === undefined
          ? `part ${a.nodeIndex + 1}/${a.nodeCount} of "${spec}" (${partitionName(a)})`
          : `own data "${own}"`,
      dataset: train,
      rows,
      batch: toBatch(train, a.task, rows),
      labelHistogram:
        train.classes === undefined
          ? []
          : Array.from(labelHistogram(train.labels, train.classes, rows)),
    };
    this.last = { key, data };
    return { data, reloaded: true };
  }

  private splitOf(spec: string): Promise<DatasetSplit> {
    if (this.split?.spec !== spec) {
      const value = this.load(spec);
      this.split = { spec, value };
      value.catch(() => {
        if (this.split?.value === value) this.split = undefined;
      });
    }
    return this.split.value;
  }
}

function partitionName(a: DataAssignment): string {
  return a.partition.kind === "case"
    ? `case ${a.partition.case}`
    : `Dirichlet alpha ${a.partition.alpha}, seed ${a.partition.seed}`;
}
