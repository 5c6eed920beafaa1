import { nodeTrainingRules } from "../core/control/control-mode.js";
import type { Kernels } from "../core/linalg/kernels.js";
import { createModel } from "../core/models/create-model.js";
import { LocalTrainer, type SgdOptions } from "../core/train/local-trainer.js";
import { nodeRng } from "../core/train/node-rng.js";
import type { RoundOrder, RoundReport } from "../core/train/round-report.js";
import type { ReadyMessage, SetupMessage } from "../protocol/index.js";
import { dataPreview } from "./data-preview.js";
import type { NodeData } from "./node-data.js";

/** How a node runs a round in slices (NodeRun.runRound). */
export interface RoundSlices {
  /** Local updates between two pauses, in seconds of the trainer's clock. */
  readonly sliceSeconds: number;
  /** Lets the node's other work run (a turn of the event loop). */
  pause(): Promise<void>;
  /** True when the round is no longer wanted: it is abandoned without a report. */
  giveUp(): boolean;
}

/**
 * One run on a node: the LocalTrainer a Setup describes, on the node's data, drawing minibatches
 * from nodeRng(seed, nodeIndex) so that the run equals the simulator's node of the same index.
 */
export class NodeRun {
  readonly runId: string;
  readonly setup: SetupMessage;
  readonly data: NodeData;
  private readonly trainer: LocalTrainer;
  /** Set by Stop: the run is over, no more rounds. */
  stopped = false;
  /** Set when a Stop has arrived, before it is handled: a running round gives up at once. */
  stopArrived = false;
  /** Rounds run so far. */
  rounds = 0;

  private constructor(setup: SetupMessage, data: NodeData, trainer: LocalTrainer) {
    this.runId = setup.runId;
    this.setup = setup;
    this.data = data;
    this.trainer = trainer;
  }

  /** Builds the model and the trainer; throws an Error whose message says what does not fit. */
  static create(setup: SetupMessage, data: NodeData, kernels: Kernels): NodeRun {
    const model = createModel(setup.model, data.batch.dim, kernels);
    if (model.size !== setup.modelSize) {
      throw new Error(
        `the ${model.kind} model for ${data.batch.dim} features has ${model.size} weights, the setup says ${setup.modelSize}`,
      );
    }
    const rules = nodeTrainingRules(setup.control, setup.adaptiveTau);
    const sgd: SgdOptions | undefined =
      setup.batchSize === "full"
        ? undefined
        : { batchSize: setup.batchSize, carryOver: rules.carryOver };
    const trainer = new LocalTrainer({
      model,
      data: data.batch,
      eta: setup.eta,
      sgd,
      rng: nodeRng(setup.seed, setup.data.nodeIndex),
      // beta_i and rho_i steer adaptive tau only: a fixed-tau run skips their extra evaluation.
      estimates: setup.adaptiveTau,
      firstRoundEstimates: rules.firstRoundEstimates,
      gradientNoise: rules.gradientNoise,
    });
    return new NodeRun(setup, data, trainer);
  }

  /** True when `setup` is this run's own Setup again (a rejoin): the run goes on as it is. */
  isSameRun(setup: SetupMessage): boolean {
    return !this.stopped && JSON.stringify(setup) === JSON.stringify(this.setup);
  }

  ready(sharePreview: boolean): ReadyMessage {
    const preview = sharePreview ? dataPreview(this.data) : undefined;
    return {
      type: "ready",
      runId: this.runId,
      dataSize: this.trainer.dataSize,
      labelHistogram: this.data.labelHistogram,
      ...(preview === undefined ? {} : { preview }),
    };
  }

  /**
   * Runs a round in slices of about `sliceSeconds` of local updates, awaiting `pause()` between
   * them so that the node serves its connection, Stop and signals during a long round; stops
   * early, with null, when `giveUp()` says so after a slice (the run stopped, or the deadline
   * passed). The updates and the report are those of one uninterrupted round.
   */
  async runRound(order: RoundOrder, slices: RoundSlices): Promise<RoundReport | null> {
    const trainer = this.trainer;
    trainer.beginRound(order);
    try {
      while (!trainer.advance(slices.sliceSeconds)) {
        await slices.pause();
        if (slices.giveUp()) {
          trainer.abandonRound();
          return null;
        }
      }
      const report = trainer.endRound();
      this.rounds++;
      return report;
    } catch (error) {
      trainer.abandonRound();
      throw error;
    }
  }

  dispose(): void {
    this.trainer.dispose();
  }
}
