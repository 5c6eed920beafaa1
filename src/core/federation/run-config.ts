import { CONTROL_MODES, type ControlMode, DEFAULT_CONTROL } from "../control/control-mode.js";
import type { ControllerConfig } from "../control/controller.js";
import { DEFAULT_TAU_MAX } from "../control/tau-max.js";
import type { TauMode } from "../control/tau-policy.js";
import type { ResourceAmount, ResourceName, Tau } from "../units.js";

/** What a run is: the learning setup and its limits. Optional fields have the authors' defaults. */
export interface RunConfig {
  /** Number of weights of the model. */
  readonly modelSize: number;
  readonly initialWeights: Float64Array;
  /** Step size. */
  readonly eta: number;
  /** Control parameter of the bound (default 0.025, for smooth SVM on MNIST; 5e-5 for CNNs). */
  readonly phi?: number;
  /** Moving-average weight of beta, rho, delta in [0, 1) (default 0: the latest values). */
  readonly gamma?: number;
  /** "adaptive", or a fixed tau. */
  readonly tauMode: TauMode;
  /** How adaptive tau is controlled (default "fedtau"; "paper": the authors' exact rules). */
  readonly control?: ControlMode;
  /**
   * Total budget per resource: "time" (seconds) is required unless maxRounds is given, and always
   * for adaptive tau (the search weighs updates against it); "bytes" is the usual second one.
   */
  readonly budget?: Readonly<Partial<Record<ResourceName, ResourceAmount>>>;
  /** Full rounds at most (for exact comparisons); the evaluation-only round comes on top. */
  readonly maxRounds?: number;
  /** The adaptive tau never exceeds this (default DEFAULT_TAU_MAX, 100). */
  readonly tauMax?: Tau;
  /** Return the weights with the least loss, and end with an evaluation-only round (default true). */
  readonly useMinLoss?: boolean;
  /** Rounds in a row without a usable report before the run stops with an error (default 3). */
  readonly maxEmptyRounds?: number;
}

export const DEFAULT_PHI = 0.025;
export const DEFAULT_MAX_EMPTY_ROUNDS = 3;

/** The config with its defaults filled in, as the engine uses it. */
export interface ResolvedRunConfig extends ControllerConfig {
  readonly modelSize: number;
  readonly initialWeights: Float64Array;
  readonly maxEmptyRounds: number;
}

export function resolveRunConfig(c: RunConfig): ResolvedRunConfig {
  return {
    modelSize: c.modelSize,
    initialWeights: c.initialWeights,
    control: c.control ?? DEFAULT_CONTROL,
    eta: c.eta,
    phi: c.phi ?? DEFAULT_PHI,
    gamma: c.gamma ?? 0,
    tauMode: c.tauMode,
    tauMax: c.tauMax ?? DEFAULT_TAU_MAX,
    useMinLoss: c.useMinLoss ?? true,
    budget: c.budget ?? {},
    maxRounds: c.maxRounds ?? null,
    maxEmptyRounds: c.maxEmptyRounds ?? DEFAULT_MAX_EMPTY_ROUNDS,
  };
}

/**
 * The controller's part of a run's config, defaults filled in: what `Controller.create` needs to
 * make the same decisions again from a run's recorded inputs (controller.json beside rounds.jsonl).
 */
export function controllerConfigOf(c: RunConfig): ControllerConfig {
  const r = resolveRunConfig(c);
  return {
    control: r.control,
    eta: r.eta,
    phi: r.phi,
    gamma: r.gamma,
    tauMode: r.tauMode,
    tauMax: r.tauMax,
    useMinLoss: r.useMinLoss,
    budget: r.budget,
    maxRounds: r.maxRounds,
  };
}

/** Every problem of a config, each as one sentence; empty when the run can start. */
export function runConfigProblems(c: RunConfig): string[] {
  const out: string[] = [];
  const positiveInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;

  if (!positiveInt(c.modelSize)) out.push(`modelSize must be an integer >= 1, got ${c.modelSize}`);
  if (!(c.initialWeights instanceof Float64Array)) {
    out.push("initialWeights must be a Float64Array");
  } else {
    if (c.initialWeights.length !== c.modelSize) {
      out.push(`expected ${c.modelSize} initial weights, got ${c.initialWeights.length}`);
    }
    if (!c.initialWeights.every(Number.isFinite)) out.push("initialWeights must all be finite");
  }
  if (!positive(c.eta)) out.push(`eta must be a finite number > 0, got ${c.eta}`);
  if (c.phi !== undefined && !positive(c.phi)) {
    out.push(`phi must be a finite number > 0, got ${c.phi}`);
  }
  if (c.gamma !== undefined && !(c.gamma >= 0 && c.gamma < 1)) {
    out.push(`gamma must be in [0, 1), got ${c.gamma}`);
  }
  if (c.tauMode !== "adaptive" && !positiveInt(c.tauMode)) {
    out.push(`tauMode must be "adaptive" or an integer >= 1, got ${String(c.tauMode)}`);
  }
  if (c.control !== undefined && !CONTROL_MODES.includes(c.control)) {
    out.push(`control must be one of ${CONTROL_MODES.join(", ")}, got ${String(c.control)}`);
  }
  if (c.tauMax !== undefined && !positiveInt(c.tauMax)) {
    out.push(`tauMax must be an integer >= 1, got ${c.tauMax}`);
  }
  if (c.maxRounds !== undefined && !positiveInt(c.maxRounds)) {
    out.push(`maxRounds must be an integer >= 1, got ${c.maxRounds}`);
  }
  if (c.maxEmptyRounds !== undefined && !positiveInt(c.maxEmptyRounds)) {
    out.push(`maxEmptyRounds must be an integer >= 1, got ${c.maxEmptyRounds}`);
  }
  const budget = c.budget ?? {};
  for (const [name, amount] of Object.entries(budget)) {
    if (!positive(amount))
      out.push(`the "${name}" budget must be a finite number > 0, got ${amount}`);
  }
  if (budget.time === undefined) {
    if (c.tauMode === "adaptive") {
      out.push('adaptive tau needs a "time" budget: the tau search weighs updates against it');
    } else if (c.maxRounds === undefined) {
      out.push('a run needs a "time" budget or maxRounds');
    }
  }
  return out;
}
