import type { LearningSetup } from "../../aggregator/learning-setup.js";

/** The demonstration's learning setup (smooth SVM, even/odd on the embedded MNIST), for tests. */
export function svmSetup(patch: Partial<LearningSetup> = {}): LearningSetup {
  return {
    model: { kind: "svm" },
    dataset: "mnist",
    task: "even-odd",
    case: 1,
    tau: "adaptive",
    eta: 0.01,
    phi: 0.025,
    seed: 1,
    budget: 60,
    ...patch,
  };
}
