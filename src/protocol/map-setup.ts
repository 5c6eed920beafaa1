import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import type { DataAssignment, PartitionSpec } from "../core/data/assignment.js";
import { DATASET_SPEC_FORMS, parseDatasetSpec } from "../core/data/dataset-spec.js";
import type { DistributionCase } from "../core/data/partition.js";
import type { TaskKind } from "../core/data/task.js";
import type { ModelSpec } from "../core/models/create-model.js";
import type { Activation as ActivationName } from "../core/models/mlp.js";
import type { ModelKind as ModelKindName } from "../core/models/model.js";
import { accepted, type Checked, cannotAccept, protocolError, refused } from "./error-codes.js";
import {
  Activation,
  CasePartitionSchema,
  DataAssignmentSchema,
  DirichletPartitionSchema,
  ModelKind,
  ModelSpecSchema,
  type Setup,
  SetupSchema,
  Task,
  type DataAssignment as WireDataAssignment,
  type ModelSpec as WireModelSpec,
} from "./gen/fedtau_pb.js";
import {
  MAX_CLASSES,
  MAX_CLUSTERS,
  MAX_DATASET_CHARS,
  MAX_HIDDEN_UNITS,
  MAX_MODEL_WEIGHTS,
  MAX_NODES_PER_RUN,
} from "./limits.js";
import type { RunId, SetupMessage } from "./messages.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { above, atLeast, between, knownEnum, requiredText, rule } from "./schema-rules.js";
import { encodingToWire, KNOWN_ENCODINGS } from "./vector-field.js";

const modelKinds = new Map<number, ModelKindName>([
  [ModelKind.SVM, "svm"],
  [ModelKind.LOGISTIC, "logistic"],
  [ModelKind.SOFTMAX, "softmax"],
  [ModelKind.LINEAR, "linear"],
  [ModelKind.KMEANS, "kmeans"],
  [ModelKind.MLP, "mlp"],
]);

const activations = new Map<number, ActivationName | undefined>([
  [Activation.UNSPECIFIED, undefined],
  [Activation.TANH, "tanh"],
  [Activation.RELU, "relu"],
]);

const tasks = new Map<number, TaskKind>([
  [Task.EVEN_ODD, "even-odd"],
  [Task.DIGITS, "digits"],
  [Task.VALUE, "value"],
]);

function wireValue<T>(map: ReadonlyMap<number, T>, name: T): number {
  for (const [wire, n] of map) if (n === name) return wire;
  throw new RangeError(`Cannot encode ${String(name)}: not a known value`);
}

function isDatasetSpec(spec: string): boolean {
  try {
    parseDatasetSpec(spec);
    return true;
  } catch {
    return false;
  }
}

const modelRules = z.object({
  kind: knownEnum(modelKinds),
  lambda: z.optional(atLeast(0)),
  classes: z.optional(between(2, MAX_CLASSES)),
  k: z.optional(between(1, MAX_CLUSTERS)),
  hidden: z.optional(between(1, MAX_HIDDEN_UNITS)),
  activation: knownEnum(activations),
});

const dataRules = z.object({
  dataset: requiredText(MAX_DATASET_CHARS).check(
    rule<string>(
      isDatasetSpec,
      "unknown-enum",
      (s) => `must be a data set spec (${DATASET_SPEC_FORMS}), got ${JSON.stringify(s)}`,
    ),
  ),
  task: knownEnum(tasks),
  nodeIndex: atLeast(0),
  nodeCount: between(1, MAX_NODES_PER_RUN),
});

const nodeIndexRule = z.object({ nodeIndex: z.number(), nodeCount: z.number() }).check(
  rule(
    (d) => d.nodeIndex < d.nodeCount,
    "out-of-range",
    (d) => `must be less than nodeCount ${d.nodeCount}, got ${d.nodeIndex}`,
    ["nodeIndex"],
  ),
);

const caseRules = z.object({ case: between(1, 4) });
const dirichletRules = z.object({ alpha: above(0) });

const setupRules = z.object({
  model: modelRules,
  modelSize: between(1, MAX_MODEL_WEIGHTS),
  eta: above(0),
  data: dataRules,
  vectorEncoding: knownEnum(KNOWN_ENCODINGS),
});

/** A core ModelSpec as a wire ModelSpec: only the options its kind takes. */
export function modelSpecToWire(model: ModelSpec): WireModelSpec {
  const kind = wireValue(modelKinds, model.kind);
  switch (model.kind) {
    case "svm":
    case "logistic":
    case "linear":
      return create(ModelSpecSchema, { kind, lambda: model.lambda });
    case "softmax":
      return create(ModelSpecSchema, { kind, lambda: model.lambda, classes: model.classes });
    case "kmeans":
      return create(ModelSpecSchema, { kind, k: model.k });
    case "mlp":
      return create(ModelSpecSchema, {
        kind,
        hidden: model.hidden,
        classes: model.classes,
        activation: wireValue(activations, model.activation),
      });
  }
}

/** A checked wire ModelSpec as a core ModelSpec; options the kind does not take are ignored. */
function modelSpecFromWire(wire: WireModelSpec): ModelSpec {
  const kind = modelKinds.get(wire.kind)!;
  const lambda = wire.lambda === undefined ? {} : { lambda: wire.lambda };
  const classes = wire.classes === undefined ? {} : { classes: wire.classes };
  switch (kind) {
    case "svm":
    case "logistic":
    case "linear":
      return { kind, ...lambda };
    case "softmax":
      return { kind, ...classes, ...lambda };
    case "kmeans":
      return { kind, ...(wire.k === undefined ? {} : { k: wire.k }) };
    case "mlp": {
      const activation = activations.get(wire.activation);
      return {
        kind,
        ...(wire.hidden === undefined ? {} : { hidden: wire.hidden }),
        ...classes,
        ...(activation === undefined ? {} : { activation }),
      };
    }
  }
}

/** A core DataAssignment as a wire DataAssignment. */
export function assignmentToWire(data: DataAssignment): WireDataAssignment {
  const p = data.partition;
  return create(DataAssignmentSchema, {
    dataset: data.dataset,
    task: wireValue(tasks, data.task),
    partition:
      p.kind === "case"
        ? { case: "byCase", value: create(CasePartitionSchema, { number: p.case }) }
        : {
            case: "dirichlet",
            value: create(DirichletPartitionSchema, { alpha: p.alpha, seed: p.seed }),
          },
    nodeIndex: data.nodeIndex,
    nodeCount: data.nodeCount,
  });
}

function partitionFromWire(data: WireDataAssignment, ctx: ReadContext): Checked<PartitionSpec> {
  const p = data.partition;
  if (p.case === "byCase") {
    const ok = checkWith(caseRules, { case: p.value.number }, ctx, "data.partition");
    if (!ok.ok) return ok;
    return accepted({ kind: "case", case: p.value.number as DistributionCase });
  }
  if (p.case === "dirichlet") {
    const ok = checkWith(dirichletRules, p.value, ctx, "data.partition");
    if (!ok.ok) return ok;
    return accepted({ kind: "dirichlet", alpha: p.value.alpha, seed: p.value.seed });
  }
  return refused(
    protocolError("missing-field", cannotAccept(ctx.what, ctx.from, "data.partition is missing"), {
      field: "data.partition",
    }),
  );
}

export function setupToWire(message: SetupMessage): Setup {
  return create(SetupSchema, {
    model: modelSpecToWire(message.model),
    modelSize: message.modelSize,
    eta: message.eta,
    batchSize: message.batchSize === "full" ? 0 : message.batchSize,
    data: assignmentToWire(message.data),
    adaptiveTau: message.adaptiveTau,
    paperControl: message.control === "paper",
    seed: message.seed,
    vectorEncoding: encodingToWire(message.vectorEncoding),
  });
}

/** A wire Setup, checked. */
export function setupFromWire(wire: Setup, runId: RunId, ctx: ReadContext): Checked<SetupMessage> {
  const rules = checkWith(setupRules, wire, ctx);
  if (!rules.ok) return rules;
  // Present: setupRules checked them.
  const data = wire.data!;
  const index = checkWith(nodeIndexRule, data, ctx, "data");
  if (!index.ok) return index;
  const partition = partitionFromWire(data, ctx);
  if (!partition.ok) return partition;
  return accepted({
    type: "setup",
    runId,
    model: modelSpecFromWire(wire.model!),
    modelSize: wire.modelSize,
    eta: wire.eta,
    batchSize: wire.batchSize === 0 ? "full" : wire.batchSize,
    data: {
      dataset: data.dataset,
      task: tasks.get(data.task)!,
      partition: partition.value,
      nodeIndex: data.nodeIndex,
      nodeCount: data.nodeCount,
    },
    adaptiveTau: wire.adaptiveTau,
    control: wire.paperControl ? "paper" : "fedtau",
    seed: wire.seed,
    vectorEncoding: KNOWN_ENCODINGS.get(wire.vectorEncoding)!,
  });
}
