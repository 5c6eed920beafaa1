import type { LearningSetup } from "../learning-setup.js";

/**
 * The aggregator tests' learning setup: smooth SVM, even or odd, case 1, full-batch gradient
 * descent at a fixed tau 2 for 6 rounds (on the synthetic split of synthetic-split.ts: runs of a
 * few ms). Tests spread it and change what they are about.
 */
export const TEST_SETUP: LearningSetup = {
  model: { kind: "svm" },
  dataset: "mnist",
  task: "even-odd",
  case: 1,
  tau: 2,
  eta: 0.1,
  phi: 0.025,
  seed: 3,
  rounds: 6,
};
