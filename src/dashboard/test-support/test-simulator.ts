import type { LearningSetup } from "../../aggregator/learning-setup.js";
import { type DatasetSplit, selectRows } from "../../core/data/dataset.js";
import { loadEmbeddedMnist } from "../../datasets/embedded-mnist.js";
import { simulatedCosts } from "../../sim/simulated-costs.js";
import type { SimulatedRunsOptions } from "../simulated-runs.js";
import { SimulatorSource } from "../simulator-source.js";
import { svmSetup } from "./svm-setup.js";

let small: Promise<DatasetSplit> | undefined;

/** The first 1,000 training and 200 test digits of the embedded MNIST: real digits, quick runs. */
export function smallMnist(): Promise<DatasetSplit> {
  const first = (n: number) => Array.from({ length: n }, (_, i) => i);
  small ??= loadEmbeddedMnist().then(({ train, test }) => ({
    train: selectRows(train, first(1_000)),
    test: selectRows(test, first(200)),
  }));
  return small;
}

export interface TestSimulatorOptions extends Partial<Omit<SimulatedRunsOptions, "setup">> {
  readonly setup?: Partial<LearningSetup>;
}

/**
 * A simulator source for the dashboard's tests: five nodes on the small MNIST, smooth SVM
 * even/odd, costs simulated from a seed (the same numbers on every machine), the added delay
 * not waited (each wait only yields to the event loop). Subscribe, then start it.
 */
export async function testSimulator(options: TestSimulatorOptions = {}): Promise<SimulatorSource> {
  const { setup, ...rest } = options;
  return new SimulatorSource({
    setup: svmSetup({ budget: 30, ...setup }),
    data: await smallMnist(),
    costs: () => simulatedCosts({ seed: 1 }),
    sleep: () => new Promise((resolve) => setImmediate(resolve)),
    ...rest,
  });
}
