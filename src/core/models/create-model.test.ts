import { describe, expect, it } from "vitest";
import { referenceKernels } from "../linalg/reference-kernels.js";
import { createModel, type ModelSpec, modelNames, parseModelName } from "./create-model.js";
import { KmeansModel } from "./kmeans.js";
import { LinearRegressionModel } from "./linear-regression.js";
import { LogisticModel } from "./logistic.js";
import { MlpModel } from "./mlp.js";
import { SoftmaxModel } from "./softmax.js";
import { SvmModel } from "./svm.js";

const kernels = referenceKernels;

describe("createModel", () => {
  it("builds every kind with its defaults and size", () => {
    const dim = 784;
    const cases: [ModelSpec, unknown, number][] = [
      [{ kind: "svm" }, SvmModel, dim],
      [{ kind: "logistic" }, LogisticModel, dim],
      [{ kind: "softmax" }, SoftmaxModel, 10 * dim],
      [{ kind: "linear" }, LinearRegressionModel, dim],
      [{ kind: "kmeans" }, KmeansModel, 10 * dim],
      [{ kind: "mlp" }, MlpModel, dim * 64 + 64 + 64 * 10 + 10],
    ];
    for (const [spec, type, size] of cases) {
      const model = createModel(spec, dim, kernels);
      expect(model).toBeInstanceOf(type);
      expect(model.kind).toBe(spec.kind);
      expect(model.inputDim).toBe(dim);
      expect(model.size).toBe(size);
    }
    expect((createModel({ kind: "svm" }, dim, kernels) as SvmModel).lambda).toBe(0.1);
  });

  it("passes the options on", () => {
    expect((createModel({ kind: "svm", lambda: 0.5 }, 3, kernels) as SvmModel).lambda).toBe(0.5);
    expect(
      (createModel({ kind: "logistic", lambda: 0.2 }, 3, kernels) as LogisticModel).lambda,
    ).toBe(0.2);
    const softmax = createModel(
      { kind: "softmax", classes: 4, lambda: 0.1 },
      3,
      kernels,
    ) as SoftmaxModel;
    expect([softmax.classes, softmax.lambda, softmax.size]).toEqual([4, 0.1, 12]);
    expect(
      (createModel({ kind: "linear", lambda: 1 }, 3, kernels) as LinearRegressionModel).lambda,
    ).toBe(1);
    expect(createModel({ kind: "kmeans", k: 5 }, 3, kernels).size).toBe(15);
    const mlp = createModel(
      { kind: "mlp", hidden: 2, classes: 3, activation: "relu" },
      3,
      kernels,
    ) as MlpModel;
    expect([mlp.hidden, mlp.classes, mlp.activation, mlp.size]).toEqual([
      2,
      3,
      "relu",
      6 + 2 + 6 + 3,
    ]);
  });

  it("rejects an unknown kind and bad dimensions", () => {
    expect(() => createModel({ kind: "cnn" } as unknown as ModelSpec, 3, kernels)).toThrow(
      'Cannot create model "cnn": expected one of svm, logistic, softmax, linear, kmeans, mlp',
    );
    expect(() => createModel({ kind: "svm" }, 0, kernels)).toThrow(
      "Cannot create svm: inputDim must be an integer >= 1, got 0",
    );
  });
});

describe("parseModelName", () => {
  it("accepts every CLI name, ignoring case and surrounding spaces", () => {
    for (const name of modelNames) expect(parseModelName(name)).toEqual({ kind: name });
    expect(parseModelName(" SVM ")).toEqual({ kind: "svm" });
  });

  it("lists the valid names when it does not know one", () => {
    expect(() => parseModelName("cnn")).toThrow(
      'Unknown model "cnn": valid names are svm, logistic, softmax, linear, kmeans, mlp',
    );
  });
});
