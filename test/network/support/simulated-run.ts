import { DEFAULT_CONTROL, nodeTrainingRules } from "../../../src/core/control/control-mode.js";
import { assignedRows } from "../../../src/core/data/assignment.js";
import type { DatasetSplit } from "../../../src/core/data/dataset.js";
import type { DistributionCase } from "../../../src/core/data/partition.js";
import { toBatch } from "../../../src/core/data/task.js";
import { measuredCosts } from "../../../src/core/federation/measured-costs.js";
import { runFederation } from "../../../src/core/federation/round-engine.js";
import type { RunResult } from "../../../src/core/federation/run-result.js";
import { getKernels } from "../../../src/core/linalg/select-kernels.js";
import { createModel } from "../../../src/core/models/create-model.js";
import { createSimulation } from "../../../src/sim/create-simulation.js";

export interface SimulatedRun {
  readonly split: DatasetSplit;
  readonly case: DistributionCase;
  readonly nodes: number;
  readonly eta: number;
  readonly seed: number;
  readonly tau: number;
  readonly rounds: number;
  /** SGD minibatch size (absent: full batch); what the node reuses follows its control rules. */
  readonly batchSize?: number;
}

/**
 * The run a networked fixed-tau test must reproduce: the smooth SVM on MNIST even/odd, each
 * node holding its assigned rows, on the in-process simulator (same trainer, same engine).
 */
export async function simulatedSvmRun(o: SimulatedRun): Promise<RunResult> {
  const model = createModel({ kind: "svm" }, o.split.train.dim, getKernels("auto"));
  const nodeData = Array.from({ length: o.nodes }, (_, i) =>
    toBatch(
      o.split.train,
      "even-odd",
      assignedRows(o.split.train.labels, {
        dataset: "mnist",
        task: "even-odd",
        partition: { kind: "case", case: o.case },
        nodeIndex: i,
        nodeCount: o.nodes,
      }),
    ),
  );
  // A fixed-tau networked node under the default control, as the aggregator sets it up.
  const rules = nodeTrainingRules(DEFAULT_CONTROL, false);
  const sim = createSimulation({
    model,
    nodeData,
    eta: o.eta,
    ...(o.batchSize === undefined
      ? {}
      : { sgd: { batchSize: o.batchSize, carryOver: rules.carryOver } }),
    seed: o.seed,
  });
  try {
    return await runFederation(
      {
        modelSize: model.size,
        initialWeights: new Float64Array(model.size),
        eta: o.eta,
        tauMode: o.tau,
        maxRounds: o.rounds,
      },
      { links: sim.links, costs: measuredCosts() },
    );
  } finally {
    sim.dispose();
  }
}
