import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ControlMode, nodeTrainingRules } from "../../core/control/control-mode.js";
import type { TauMode } from "../../core/control/tau-policy.js";
import { assignedRows } from "../../core/data/assignment.js";
import type { DatasetSplit } from "../../core/data/dataset.js";
import { toBatch } from "../../core/data/task.js";
import type { NodeLink, RoundOutcome } from "../../core/federation/link.js";
import { runFederation } from "../../core/federation/round-engine.js";
import type { RoundEvent } from "../../core/federation/round-event.js";
import { controllerConfigOf, type RunConfig } from "../../core/federation/run-config.js";
import type { RunResult } from "../../core/federation/run-result.js";
import { referenceKernels } from "../../core/linalg/reference-kernels.js";
import { SvmModel } from "../../core/models/svm.js";
import type { RoundOrder } from "../../core/train/round-report.js";
import { writeRunRecord } from "../../record/record-files.js";
import { createSimulation } from "../create-simulation.js";
import { simulatedCosts } from "../simulated-costs.js";

export interface SimulatedRecordOptions {
  readonly split: DatasetSplit;
  readonly nodes?: number;
  readonly tauMode?: TauMode;
  readonly control?: ControlMode;
  /** Simulated seconds. */
  readonly budget?: number;
  readonly seed?: number;
  /** Node index -> rounds in which it times out (is lost): the engine waits for it in vain. */
  readonly lose?: Readonly<Record<number, readonly number[]>>;
  /** Where the record goes (default: a new temporary directory). */
  readonly dir?: string;
}

export interface SimulatedRecord {
  readonly dir: string;
  readonly events: readonly RoundEvent[];
  readonly result: RunResult;
}

/** A link that times out in the given rounds (its trainer is not asked), else the inner one. */
class LosingLink implements NodeLink {
  constructor(
    private readonly inner: NodeLink,
    private readonly rounds: readonly number[],
  ) {}

  get id(): string {
    return this.inner.id;
  }

  async runRound(order: RoundOrder): Promise<RoundOutcome> {
    if (this.rounds.includes(order.round)) {
      return {
        ok: false,
        code: "timeout",
        message: `${this.id} timed out in round ${order.round}`,
      };
    }
    return this.inner.runRound(order);
  }
}

/**
 * A short simulated run of the smooth SVM on a small data set, with seeded simulated costs and
 * SGD, written as a record (rounds.jsonl + controller.json) as the aggregator writes one.
 */
export async function simulatedRecord(o: SimulatedRecordOptions): Promise<SimulatedRecord> {
  const nodes = o.nodes ?? 4;
  const tauMode = o.tauMode ?? "adaptive";
  const control = o.control ?? "fedtau";
  const seed = o.seed ?? 7;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "fedtau-record-"));
  const { train } = o.split;
  const model = new SvmModel(train.dim, { kernels: referenceKernels });
  const nodeData = Array.from({ length: nodes }, (_, i) =>
    toBatch(
      train,
      "even-odd",
      assignedRows(train.labels, {
        dataset: "mnist",
        task: "even-odd",
        partition: { kind: "case", case: 1 },
        nodeIndex: i,
        nodeCount: nodes,
      }),
    ),
  );
  const rules = nodeTrainingRules(control, tauMode === "adaptive");
  const sim = createSimulation({
    model,
    nodeData,
    eta: 0.05,
    seed,
    sgd: { batchSize: 16, carryOver: rules.carryOver },
    firstRoundEstimates: rules.firstRoundEstimates,
    gradientNoise: rules.gradientNoise,
  });
  const config: RunConfig = {
    modelSize: model.size,
    initialWeights: new Float64Array(model.size),
    eta: 0.05,
    tauMode,
    control,
    budget: { time: o.budget ?? 10 },
  };
  const events: RoundEvent[] = [];
  try {
    const links = sim.links.map((l, i) => {
      const lost = o.lose?.[i];
      return lost === undefined ? l : new LosingLink(l, lost);
    });
    const result = await runFederation(config, {
      links,
      costs: simulatedCosts({ seed: seed + 1 }),
      keepEvents: Number.POSITIVE_INFINITY,
      onRound: (e) => {
        events.push(e);
      },
    });
    writeRunRecord(
      dir,
      controllerConfigOf(config),
      events.map((e) => JSON.stringify(e)),
    );
    return { dir, events, result };
  } finally {
    sim.dispose();
  }
}
