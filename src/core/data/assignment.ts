import { DATASET_SPEC_FORMS, parseDatasetSpec } from "./dataset-spec.js";
import { casePartition, type DistributionCase, dirichletPartition } from "./partition.js";
import { Rng } from "./rng.js";
import { isTaskKind, TASK_KINDS, type TaskKind } from "./task.js";

/** How a data set's training rows are shared out among the nodes. */
export type PartitionSpec =
  | { readonly kind: "case"; readonly case: DistributionCase }
  | { readonly kind: "dirichlet"; readonly alpha: number; readonly seed: number };

/**
 * What the aggregator tells a node about its data: the node loads the named data set itself and
 * computes which training rows are its own from these few numbers, so no sample is ever sent.
 */
export interface DataAssignment {
  /** A data set spec: "mnist", "idx:DIR" or "csv:FILE" (see dataset-spec.ts). */
  readonly dataset: string;
  readonly task: TaskKind;
  readonly partition: PartitionSpec;
  /** This node's place among the nodes, 0 .. nodeCount-1. */
  readonly nodeIndex: number;
  readonly nodeCount: number;
}

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));

/**
 * Checks a data assignment received from outside (the wire, a config file) and returns it typed.
 * Errors begin "Invalid data assignment:" and name the field, what it must be and what it was.
 */
export function validateAssignment(value: unknown): DataAssignment {
  const fail = (why: string): never => {
    throw new Error(`Invalid data assignment: ${why}`);
  };
  if (typeof value !== "object" || value === null) {
    fail(`expected an object, got ${value === null ? "null" : typeof value}`);
  }
  const a = value as Record<string, unknown>;
  if (typeof a.dataset !== "string") {
    fail(`dataset must be a data set spec (${DATASET_SPEC_FORMS}), got ${show(a.dataset)}`);
  }
  try {
    parseDatasetSpec(a.dataset as string);
  } catch {
    fail(`dataset must be a data set spec (${DATASET_SPEC_FORMS}), got ${show(a.dataset)}`);
  }
  if (!isTaskKind(a.task)) {
    fail(`task must be one of ${TASK_KINDS.map((t) => `"${t}"`).join(", ")}; got ${show(a.task)}`);
  }
  const count = a.nodeCount;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    fail(`nodeCount must be a positive integer, got ${show(count)}`);
  }
  const index = a.nodeIndex;
  if (
    typeof index !== "number" ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= (count as number)
  ) {
    fail(
      `nodeIndex must be an integer in 0..${(count as number) - 1} (nodeCount ${count}), got ${show(index)}`,
    );
  }
  const p = a.partition as Record<string, unknown> | null;
  if (typeof p !== "object" || p === null) {
    fail(`partition must be an object, got ${p === null ? "null" : typeof p}`);
  }
  if (p!.kind === "case") {
    if (p!.case !== 1 && p!.case !== 2 && p!.case !== 3 && p!.case !== 4) {
      fail(`partition.case must be 1, 2, 3 or 4, got ${show(p!.case)}`);
    }
  } else if (p!.kind === "dirichlet") {
    const { alpha, seed } = p!;
    if (typeof alpha !== "number" || !(alpha > 0 && Number.isFinite(alpha))) {
      fail(`partition.alpha must be a positive finite number, got ${show(alpha)}`);
    }
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      fail(`partition.seed must be an integer in 0..4294967295, got ${show(seed)}`);
    }
  } else {
    fail(`partition.kind must be "case" or "dirichlet", got ${show(p!.kind)}`);
  }
  return value as DataAssignment;
}

/**
 * The training rows (indices into the training set, ascending) that an assignment gives its node.
 * Every node computes the whole partition from the same labels and keeps its own part, so all
 * nodes agree without exchanging anything.
 */
export function assignedRows(
  trainLabels: ArrayLike<number>,
  assignment: DataAssignment,
): Uint32Array {
  const a = validateAssignment(assignment);
  const parts =
    a.partition.kind === "case"
      ? casePartition(trainLabels, a.nodeCount, a.partition.case)
      : dirichletPartition(trainLabels, a.nodeCount, a.partition.alpha, new Rng(a.partition.seed));
  return parts[a.nodeIndex];
}
