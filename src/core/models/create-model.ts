import type { Kernels } from "../linalg/kernels.js";
import { KmeansModel } from "./kmeans.js";
import { LinearRegressionModel } from "./linear-regression.js";
import { LogisticModel } from "./logistic.js";
import { type Activation, MlpModel } from "./mlp.js";
import type { Model, ModelKind } from "./model.js";
import { SoftmaxModel } from "./softmax.js";
import { SvmModel } from "./svm.js";

/** Which model to build, with its options; omitted options take each model's defaults. */
export type ModelSpec =
  | { kind: "svm"; lambda?: number }
  | { kind: "logistic"; lambda?: number }
  | { kind: "softmax"; classes?: number; lambda?: number }
  | { kind: "linear"; lambda?: number }
  | { kind: "kmeans"; k?: number }
  | { kind: "mlp"; hidden?: number; classes?: number; activation?: Activation };

/** The model names the CLI accepts, in the order they are listed to users. */
export const modelNames: readonly ModelKind[] = [
  "svm",
  "logistic",
  "softmax",
  "linear",
  "kmeans",
  "mlp",
];

/** Builds the model a spec describes for `inputDim` features, computing through `kernels`. */
export function createModel(spec: ModelSpec, inputDim: number, kernels: Kernels): Model {
  switch (spec.kind) {
    case "svm":
      return new SvmModel(inputDim, { kernels, lambda: spec.lambda });
    case "logistic":
      return new LogisticModel(inputDim, { kernels, lambda: spec.lambda });
    case "softmax":
      return new SoftmaxModel(inputDim, { kernels, classes: spec.classes, lambda: spec.lambda });
    case "linear":
      return new LinearRegressionModel(inputDim, { kernels, lambda: spec.lambda });
    case "kmeans":
      return new KmeansModel(inputDim, { kernels, k: spec.k });
    case "mlp":
      return new MlpModel(inputDim, {
        kernels,
        hidden: spec.hidden,
        classes: spec.classes,
        activation: spec.activation,
      });
    default: {
      const unknown: { kind?: unknown } = spec;
      throw new RangeError(
        `Cannot create model "${String(unknown.kind)}": expected one of ${modelNames.join(", ")}`,
      );
    }
  }
}

/** The spec (all defaults) for a CLI model name such as "svm"; case and spaces are ignored. */
export function parseModelName(name: string): ModelSpec {
  const kind = name.trim().toLowerCase();
  const known = modelNames.find((n) => n === kind);
  if (known === undefined) {
    throw new RangeError(`Unknown model "${name}": valid names are ${modelNames.join(", ")}`);
  }
  return { kind: known };
}
