import type { RoundEvent } from "../core/federation/round-event.js";
import type { LogEntry } from "../protocol/message-log.js";
import type { Preview } from "../protocol/messages.js";
import type { ControlCommand } from "./control-command.js";
import type {
  DashboardSettings,
  NodeState,
  PlainChange,
  RunHeader,
  StateOf,
  TestState,
} from "./wire-types.js";

export type {
  DashboardSettings,
  RunHeader,
  RunSetup,
} from "./wire-types.js";

/**
 * What the dashboard needs from the system it shows (the aggregator, the simulator): the
 * settings the controls show, a stream of changes, and the controls. The aggregator may not
 * import src/dashboard (layers point down), so an adapter on this side maps the aggregator's own
 * API onto it; the payloads are core and protocol types (RoundEvent, LogEntry) and plain data, so
 * the mapping is thin. A source keeps no copy of the dashboard's state: the dashboard folds the
 * changes once (DashboardState), so it subscribes before the source starts. The behaviours every
 * source keeps are stated in test-support/dashboard-source-cases.ts. See README.md.
 */
export interface DashboardSource {
  /** What the controls show now, derived from the source's setup when asked. */
  settings(): DashboardSettings;
  /** Calls `listener` for every change from now on, in order; returns the unsubscribe. */
  subscribe(listener: (change: DashboardChange) => void): () => void;
  /**
   * Carries out one validated command, then reports the settings it changed (a "settings"
   * change). Resolves with a refusal (an unknown node...) rather than rejecting; a rejection is
   * reported as an internal error.
   */
  control(command: ControlCommand): Promise<ControlOutcome>;
}

export type ControlOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string };

/** A run and its round events so far (oldest first). */
export interface RunRecord extends RunHeader {
  readonly events: readonly RoundEvent[];
}

/** One node as the page shows it; its preview is the protocol's Ready.preview. */
export type NodeView = NodeState<Preview>;

/** A test digit the global model is judged on. */
export interface TestDigit {
  /** 784 grey levels, 28 x 28, row-major (0 = background). */
  readonly image: Uint8Array;
  /** The true class, as a name: "even" / "odd" (or "7" for a digits task). */
  readonly truth: string;
}

/** The test digits and the global model's verdicts on them. */
export type TestPanel = TestState<TestDigit>;

/** The state as the dashboard folds it from a source's changes: round events, previews, log entries. */
export type DashboardSnapshot = StateOf<RunRecord, NodeView, TestPanel, LogEntry>;

/** One change, as the aggregator reports it. */
export type DashboardChange =
  | PlainChange
  | {
      readonly type: "run-start";
      readonly run: Omit<RunHeader, "endedAt" | "endReason">;
    }
  | { readonly type: "round"; readonly runId: string; readonly event: RoundEvent }
  | { readonly type: "node"; readonly node: NodeView }
  | { readonly type: "test-digits"; readonly digits: readonly TestDigit[] }
  | { readonly type: "log"; readonly entry: LogEntry };
