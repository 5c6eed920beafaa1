import type { ControllerState } from "../control/controller.js";
import type { Round } from "../units.js";
import type { RoundEvent } from "./round-event.js";

/**
 * Everything the round engine needs to go on after a round as if it had never stopped: the
 * global weights, the controller's state (plan, estimates, budget ledger with what was spent,
 * min-loss tracker with the best weights) and the run's running totals. Plain data apart from
 * the weights; a checkpoint stores it.
 */
export interface EngineSnapshot {
  readonly version: 1;
  /** The round just run (rounds 1..round are done and in the event log). */
  readonly round: Round;
  /** The global weights after that round: where the next round starts. */
  readonly weights: Float64Array;
  readonly controller: ControllerState;
  /** Local updates so far (sum over rounds of the most any node did). */
  readonly iterations: number;
  /** Sum over rounds of tauDone^2 (for the mean tau). */
  readonly tauSquares: number;
  /** Rounds in a row without a usable report, up to this one. */
  readonly emptyRounds: number;
}

/** Where a resumed run goes on from. */
export interface EngineResume {
  readonly snapshot: EngineSnapshot;
  /**
   * The events of rounds 1..snapshot.round (e.g. read back from the event log), so that the
   * result covers the whole run; default none: the result then lists only the new rounds.
   */
  readonly events?: readonly RoundEvent[];
}

/** Every problem of a snapshot for a run of `modelSize` weights, one sentence each. */
export function snapshotProblems(resume: EngineResume, modelSize: number): string[] {
  const s = resume.snapshot;
  const out: string[] = [];
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (s.version !== 1) out.push(`unknown engine snapshot version ${String(s.version)}`);
  if (!(Number.isInteger(s.round) && s.round >= 1)) {
    out.push(`the snapshot's round must be an integer >= 1, got ${s.round}`);
  }
  if (!(s.weights instanceof Float64Array)) {
    out.push("the snapshot's weights must be a Float64Array");
  } else {
    if (s.weights.length !== modelSize) {
      out.push(`the snapshot has ${s.weights.length} weights, the model ${modelSize}`);
    }
    if (!s.weights.every(Number.isFinite)) out.push("the snapshot's weights must all be finite");
  }
  if (typeof s.controller !== "object" || s.controller === null) {
    out.push("the snapshot has no controller state");
  } else {
    const plan = s.controller.plan;
    if (plan !== null && plan.round !== s.round + 1) {
      out.push(`the snapshot is after round ${s.round} but plans round ${plan.round} next`);
    }
    const best = s.controller.minLoss?.bestWeights;
    if (best !== null && best !== undefined && best.length !== modelSize) {
      out.push(`the snapshot's best weights have ${best.length} values, the model ${modelSize}`);
    }
  }
  if (!count(s.iterations)) out.push(`iterations must be an integer >= 0, got ${s.iterations}`);
  if (!(Number.isFinite(s.tauSquares) && s.tauSquares >= 0)) {
    out.push(`tauSquares must be a finite number >= 0, got ${s.tauSquares}`);
  }
  if (!count(s.emptyRounds)) out.push(`emptyRounds must be an integer >= 0, got ${s.emptyRounds}`);
  const events = resume.events;
  if (events !== undefined) {
    const rounds = events.map((e) => e.round).join(",");
    const expected = Array.from({ length: s.round }, (_, i) => i + 1).join(",");
    if (rounds !== expected) {
      out.push(`the earlier events must be rounds 1..${s.round} once each, got [${rounds}]`);
    }
  }
  return out;
}
