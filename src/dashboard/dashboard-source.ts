import type { RoundEvent } from "../core/federation/round-event.js";
import type { NodeId } from "../core/units.js";
import type { LogEntry } from "../protocol/message-log.js";
import type { Preview } from "../protocol/messages.js";
import type { ControlCommand } from "./control-command.js";
import type { DashboardSettings, RunSetup } from "./wire-types.js";

export type { CaseNumber, DashboardSettings, RunSetup, TauSetting } from "./wire-types.js";

/**
 * What the dashboard needs from an aggregator: a snapshot of the demonstration as it stands, a
 * stream of changes, and the controls. The aggregator may not import src/dashboard (layers point
 * down), so an adapter on this side (or in the cli) maps the aggregator's own API onto it; the
 * payloads are core and protocol types (RoundEvent, LogEntry) and plain data, so the mapping is
 * thin. See README.md.
 */
export interface DashboardSource {
  /** The state now. Called once when the dashboard starts, then kept current by the changes. */
  snapshot(): DashboardSnapshot;
  /** Calls `listener` for every change, synchronously or soon after; returns the unsubscribe. */
  subscribe(listener: (change: DashboardChange) => void): () => void;
  /**
   * Carries out one validated command. Resolves with a refusal (an unknown node, a budget the
   * run cannot take...) rather than rejecting; a rejection is reported as an internal error.
   */
  control(command: ControlCommand): Promise<ControlOutcome>;
}

export type ControlOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string };

/** A run and its round events so far (oldest first). */
export interface RunRecord {
  readonly id: string;
  readonly setup: RunSetup;
  /** Wall clock, ms since 1970. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Why it ended ("budget-spent", "operator"...), null while running. */
  readonly endReason: string | null;
  readonly events: readonly RoundEvent[];
}

/** One node as the page shows it. */
export interface NodeView {
  readonly id: NodeId;
  readonly online: boolean;
  /** D_i, null before the node has said. */
  readonly dataSize: number | null;
  /** Count of each label 0..9 in its data (core's labelHistogram), null when unknown. */
  readonly labelHistogram: readonly number[] | null;
  /**
   * A few of its samples as grey images (the protocol's Ready.preview: 0 = background), only when
   * the node opted in (`--share-preview`); null otherwise.
   */
  readonly preview: Preview | null;
  /** Seconds its last tau local updates took, null before its first report. */
  readonly lastLocalSeconds: number | null;
  /** The communication delay currently added to it, ms. */
  readonly delayMs: number;
}

/** A test digit the global model is judged on. */
export interface TestDigit {
  /** 784 grey levels, 28 x 28, row-major (0 = background). */
  readonly image: Uint8Array;
  /** The true class, as a name: "even" / "odd" (or "7" for a digits task). */
  readonly truth: string;
}

/** The test digits and the global model's verdicts on them. */
export interface TestPanel {
  readonly digits: readonly TestDigit[];
  /** One class name per digit from the latest global model; null before the first round. */
  readonly verdicts: readonly string[] | null;
  /** The round the verdicts are from. */
  readonly round: number | null;
  /** Accuracy on the whole test set (not only these digits), 0..1. */
  readonly accuracy: number | null;
}

export interface DashboardSnapshot {
  readonly settings: DashboardSettings;
  /** The current run, or the last one when none is going; null before the first. */
  readonly run: RunRecord | null;
  readonly previousRun: RunRecord | null;
  readonly nodes: readonly NodeView[];
  /** null until the aggregator has test digits. */
  readonly test: TestPanel | null;
  /** Recent protocol log entries, oldest first. */
  readonly log: readonly LogEntry[];
}

/** One change, as the aggregator reports it. */
export type DashboardChange =
  | {
      readonly type: "run-start";
      readonly run: Omit<RunRecord, "events" | "endedAt" | "endReason">;
    }
  | { readonly type: "round"; readonly runId: string; readonly event: RoundEvent }
  | {
      readonly type: "run-end";
      readonly runId: string;
      readonly at: number;
      readonly reason: string;
    }
  | { readonly type: "node"; readonly node: NodeView }
  | { readonly type: "node-removed"; readonly id: NodeId }
  | { readonly type: "test-digits"; readonly digits: readonly TestDigit[] }
  | {
      readonly type: "predictions";
      readonly round: number;
      readonly verdicts: readonly string[];
      readonly accuracy: number | null;
    }
  | { readonly type: "log"; readonly entry: LogEntry }
  | { readonly type: "settings"; readonly settings: DashboardSettings };
