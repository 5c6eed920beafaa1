import { performanceClock } from "../core/clock.js";
import { nodeTrainingRules } from "../core/control/control-mode.js";
import type { ControllerConfig } from "../core/control/controller.js";
import type { Batch } from "../core/data/batch.js";
import { Rng } from "../core/data/rng.js";
import { bindingResource } from "../core/federation/binding-resource.js";
import { budgetTable } from "../core/federation/budget.js";
import type { CostSource } from "../core/federation/cost-source.js";
import { measuredCosts } from "../core/federation/measured-costs.js";
import { runFederation } from "../core/federation/round-engine.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import { controllerConfigOf, type RunConfig } from "../core/federation/run-config.js";
import type { Model, Objective } from "../core/models/model.js";
import { createSimulation } from "../sim/create-simulation.js";
import { type RecordedCostSamples, recordedCosts } from "../sim/recorded-costs.js";
import { simulatedCosts } from "../sim/simulated-costs.js";
import { caseLabel } from "./case-setting.js";
import type { ExperimentData } from "./experiment-data.js";
import type { ExperimentSettings } from "./experiment-options.js";
import type { RunSpec } from "./experiment-plan.js";
import type { RoundRecord, RunRecord } from "./run-record.js";

/** What the runs of one model on one case share. */
export interface CaseContext {
  readonly settings: ExperimentSettings;
  readonly model: Model;
  readonly data: ExperimentData;
  /** The full training data bound to the model once, for the final loss. */
  readonly trainObjective: Objective;
  /** The test data bound to the model once, evaluated every round. */
  readonly testObjective: Objective;
  readonly nodeData: readonly Batch[];
  /** With cost "recorded": the samples the costs are drawn from (loadRecordedCosts). */
  readonly recorded?: RecordedCostSamples;
}

export interface RunOutcome {
  readonly record: RunRecord;
  readonly rounds: RoundRecord[];
  /** The controller's config of the run: with its round events, a record `fedtau replay` checks. */
  readonly controller: ControllerConfig;
}

/**
 * One run: the simulated nodes of the case, driven by the round engine under the budget (time,
 * and bytes when given: the in-process links count what the frames would take), then the returned weights evaluated on the full training data and the test data. Every run of
 * an experiment draws the same minibatches and simulated costs for the same seed.
 */
export async function runOne(
  ctx: CaseContext,
  spec: RunSpec,
  onRound?: (record: RoundRecord, event: RoundEvent) => void,
): Promise<RunOutcome> {
  const { settings, model, data, testObjective } = ctx;
  const seed = settings.seed;
  // Which minibatch is reused and which estimates a node sends depend on the control mode.
  const rules = nodeTrainingRules(settings.control, spec.tauMode === "adaptive");
  // One clock for the nodes and the engine: measured costs take each node's call out of the
  // round's wall time, which needs both on the same time line.
  const clock = performanceClock;
  const sim = createSimulation({
    model,
    nodeData: ctx.nodeData,
    eta: settings.eta,
    seed,
    // Under full-batch descent the streams draw nothing; the setting is passed all the same.
    streams: spec.minibatches ?? settings.minibatches,
    clock,
    firstRoundEstimates: rules.firstRoundEstimates,
    gradientNoise: rules.gradientNoise,
    ...(settings.sgd !== undefined && {
      sgd: { batchSize: settings.sgd, carryOver: rules.carryOver },
    }),
  });
  const rounds: RoundRecord[] = [];
  try {
    const config: RunConfig = {
      modelSize: model.size,
      initialWeights: model.initialWeights(new Rng(seed), data.train),
      eta: settings.eta,
      phi: settings.phi,
      tauMode: spec.tauMode,
      control: settings.control,
      budget: budgetTable(settings.budget),
    };
    const result = await runFederation(config, {
      links: sim.links,
      costs: costSource(settings, ctx.recorded),
      clock,
      evaluate: (w) => testObjective.evaluate(w),
      onRound: (event) => {
        const record = roundRecord(spec, event);
        rounds.push(record);
        onRound?.(record, event);
      },
    });
    if (result.status !== "completed") {
      const why = result.error?.message ?? result.status;
      throw new Error(
        `Run ${spec.model} case ${caseLabel(spec.case, spec.minibatches)} tau=${spec.tauMode} ${result.status}: ${why}`,
      );
    }
    const w = result.finalWeights;
    const test = testObjective.evaluate(w);
    const record: RunRecord = {
      model: spec.model,
      case: spec.case,
      minibatches: spec.minibatches,
      tauMode: spec.tauMode,
      finalLoss: ctx.trainObjective.loss(w),
      testAccuracy: test.accuracy ?? null,
      testLoss: test.loss,
      meanTau: result.iterations > 0 ? result.meanTau : Number.NaN,
      rounds: result.rounds,
      iterations: result.iterations,
      beta: result.estimates.beta ?? Number.NaN,
      delta: result.estimates.delta ?? Number.NaN,
      rho: result.estimates.rho ?? Number.NaN,
      budget: { ...budgetTable(settings.budget) } as Record<string, number>,
      spent: { ...result.spent },
      binding: bindingResource(result.events),
    };
    return { record, rounds, controller: controllerConfigOf(config) };
  } finally {
    sim.dispose();
  }
}

function costSource(s: ExperimentSettings, recorded: RecordedCostSamples | undefined): CostSource {
  if (s.cost === "measured") return measuredCosts();
  // A stream of its own, apart from the nodes' minibatch streams (Rng(seed).fork(i)).
  const costSeed = new Rng(s.seed).fork(0xc0575).nextU32();
  if (s.cost === "recorded") {
    if (recorded === undefined) throw new Error("Recorded costs need their samples");
    return recordedCosts({
      samples: recorded,
      seed: costSeed,
      localScale: s.localCostScale,
      globalScale: s.globalCostScale,
    });
  }
  return simulatedCosts({
    seed: costSeed,
    localScale: s.localCostScale,
    globalScale: s.globalCostScale,
  });
}

function roundRecord(spec: RunSpec, e: RoundEvent): RoundRecord {
  const time = e.costs.time;
  return {
    model: spec.model,
    case: spec.case,
    minibatches: spec.minibatches,
    tauMode: spec.tauMode,
    round: e.round,
    kind: e.kind,
    tau: e.tau,
    tauDone: e.tauDone.max,
    loss: e.lossAtStart ?? Number.NaN,
    testLoss: e.testLoss ?? Number.NaN,
    testAccuracy: e.testAccuracy,
    beta: e.beta ?? Number.NaN,
    rho: e.rho ?? Number.NaN,
    delta: e.delta ?? Number.NaN,
    c: time?.c ?? Number.NaN,
    b: time?.b ?? Number.NaN,
    timeSpent: e.spent.time ?? Number.NaN,
    bytesSpent: e.spent.bytes ?? Number.NaN,
    nodesReported: e.reported.length,
  };
}
