import type { TauMode } from "../core/control/tau-policy.js";
import type { DistributionCase } from "../core/data/partition.js";

/**
 * The JSON the dashboard's server sends to the page: GET /api/state answers a `WireSnapshot`,
 * GET /api/events streams `WireChange`s. Types only, and only type imports (erased), so the
 * browser code can use them as they are.
 */

/** What a run is, in a few words for the page's header. */
export interface RunSetup {
  /** The model, e.g. "svm" (smooth SVM). */
  readonly model: string;
  /** The task, e.g. "even-odd". */
  readonly task: string;
  readonly case: DistributionCase;
  readonly tauMode: TauMode;
  /** The time budget of the run, seconds. */
  readonly budgetSeconds: number;
  /** Nodes taking part. */
  readonly nodes: number;
}

/** The values the controls show. */
export interface DashboardSettings {
  readonly case: DistributionCase;
  readonly budgetSeconds: number;
  readonly tauMode: TauMode;
  /** The delay added to every node by the last "all nodes" command, ms. */
  readonly delayMs: number;
  /** A run is going, or will start by itself when the current one ends. */
  readonly running: boolean;
}

/**
 * Whether the page may use the controls: "open" (no token needed), "token" (send
 * `Authorization: Bearer <admin token>`), "disabled" (the server listens beyond loopback and was
 * given no admin token).
 */
export type ControlAccess = "open" | "token" | "disabled";

/** One budgeted resource after a round: "time" in seconds, "bytes" sent and received. */
export interface BudgetUse {
  readonly resource: string;
  readonly spent: number;
  readonly budget: number;
}

/** One round, the values the charts plot (resource "time" for c, b, spent and budget). */
export interface RoundPoint {
  readonly round: number;
  readonly kind: "full" | "last-full" | "evaluation";
  /** tau ordered, and the mean tau done over the nodes that reported. */
  readonly tau: number;
  readonly tauDone: number;
  /** Global loss F(w(t0)) at the round's starting weights. */
  readonly loss: number | null;
  readonly testLoss: number | null;
  /** 0..1. */
  readonly accuracy: number | null;
  readonly beta: number | null;
  readonly delta: number | null;
  readonly rho: number | null;
  /** Seconds per local update (slowest node) and per aggregation. */
  readonly c: number | null;
  readonly b: number | null;
  /** Seconds of time spent so far, and the time budget. */
  readonly spent: number | null;
  readonly budget: number | null;
  /** Every budgeted resource (time first): spent so far and its budget. */
  readonly budgets: readonly BudgetUse[];
  readonly wallSeconds: number;
  readonly reported: number;
  readonly failed: number;
  /** A fault of the round ("aggregate-not-finite", "no-reports"), else null. */
  readonly fault: string | null;
  /** Why tau changes after this round (`round 7: tau 10 -> 31: b (time) 0.131 -> 1.31`), else null. */
  readonly tauChange: string | null;
  /**
   * The controller's decision after this round, with its G(tau) curve: only on a streamed round
   * and, in a snapshot's current run, on the newest round and the newest one with a search (two
   * curves at most; none in the previous run).
   */
  readonly decision?: WireDecision;
}

/** A tau decision as the controller panel shows it (the round event's `control.output`). */
export interface WireDecision {
  /** The next round's tau; null when the run is over. */
  readonly nextTau: number | null;
  /** "start", "estimates", "costs", "budget", "nodes", "unchanged", "end"... */
  readonly cause: string;
  /** Why, e.g. `tau 10 -> 31: b (time) 0.131 -> 1.31`. */
  readonly text: string;
  /** The resource that made the next round the last full one (or shortened it), else null. */
  readonly binding: string | null;
  /** The search behind it; null when tau was not searched (fixed, first, last rounds). */
  readonly search: WireSearch | null;
}

/** The bound G(tau) the search minimised: its inputs, its result and its curve. */
export interface WireSearch {
  readonly beta: number | null;
  readonly delta: number | null;
  readonly rho: number | null;
  /** Per budgeted resource: the budget R_m the search counted on (total or what is left), c_m, b_m. */
  readonly resources: readonly {
    readonly name: string;
    readonly budget: number | null;
    readonly c: number | null;
    readonly b: number | null;
  }[];
  /** Candidates 1 .. lastCandidate. */
  readonly lastCandidate: number;
  readonly argmin: number;
  /** G(argmin); null when no candidate was feasible. */
  readonly objective: number | null;
  /**
   * G(tau) at the candidates, tau ascending: finite and positive values only (infeasible ones
   * left out), every candidate up to 100 of them, else 100 spread evenly with the chosen tau and
   * the argmin among them.
   */
  readonly curve: { readonly tau: readonly number[]; readonly g: readonly number[] };
}

/** A run without its rounds: what it is, when it started and ended, and why it ended. */
export interface RunHeader {
  readonly id: string;
  readonly setup: RunSetup;
  /** Wall clock, ms since 1970. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Why it ended ("budget-spent", "operator"...), null while running. */
  readonly endReason: string | null;
}

export interface WireRun extends RunHeader {
  /** The latest rounds, oldest first (at most `limits.roundsPerRun`). */
  readonly points: readonly RoundPoint[];
}

/** One node as the page shows it; `Image` is how its preview travels (bytes, or base64 on the wire). */
export interface NodeState<Image> {
  readonly id: string;
  readonly online: boolean;
  /** D_i, null before the node has said. */
  readonly dataSize: number | null;
  /** Count of each label 0..9 in its data, null when unknown. */
  readonly labelHistogram: readonly number[] | null;
  /** A few of its samples, only when the node shares them (`--share-preview`); null otherwise. */
  readonly preview: Image | null;
  /** Seconds its last tau local updates took, null before its first report. */
  readonly lastLocalSeconds: number | null;
  /** The communication delay currently added to it, ms. */
  readonly delayMs: number;
}

export type WireNode = NodeState<WirePreview>;

/** Grey images of one size: each width * height bytes (0 = background) in base64. */
export interface WirePreview {
  readonly width: number;
  readonly height: number;
  readonly images: readonly string[];
  readonly labels: readonly number[];
}

/** A node's update: `preview` is left out when it did not change. */
export type WireNodeUpdate = Omit<WireNode, "preview"> & { readonly preview?: WirePreview | null };

export interface WireTestDigit {
  /** 784 bytes (28 x 28) in base64. */
  readonly image: string;
  readonly truth: string;
}

/** The test digits and the global model's verdicts on them. */
export interface TestState<Digit> {
  readonly digits: readonly Digit[];
  /** One class name per digit from the latest global model; null before the first round. */
  readonly verdicts: readonly string[] | null;
  /** The round the verdicts are from. */
  readonly round: number | null;
  /** Accuracy on the whole test set (not only these digits), 0..1. */
  readonly accuracy: number | null;
}

export type WireTest = TestState<WireTestDigit>;

/** A protocol log line, the same text as the terminal's. */
export interface WireLogLine {
  readonly time: number;
  readonly tone: "sent" | "received" | "info" | "warn";
  readonly text: string;
}

export interface WireLimits {
  readonly roundsPerRun: number;
  readonly logLines: number;
}

/** The whole demonstration as it stands, in the source's form or the wire's. */
export interface StateOf<Run, Node, Test, Line> {
  readonly settings: DashboardSettings;
  /** The current run, or the last one when none is going; null before the first. */
  readonly run: Run | null;
  readonly previousRun: Run | null;
  readonly nodes: readonly Node[];
  /** null until the aggregator has test digits. */
  readonly test: Test | null;
  /** Recent protocol log lines, oldest first. */
  readonly log: readonly Line[];
}

export interface WireSnapshot extends StateOf<WireRun, WireNode, WireTest, WireLogLine> {
  /** Changes with `seq` up to this one are in the snapshot. */
  readonly seq: number;
  /** Differs after the server restarts: sequence numbers start again. */
  readonly epoch: string;
  readonly access: ControlAccess;
  readonly limits: WireLimits;
}

/** The changes that read the same from the source and on the wire. */
export type PlainChange =
  | {
      readonly type: "run-end";
      readonly runId: string;
      readonly at: number;
      readonly reason: string;
    }
  | { readonly type: "node-removed"; readonly id: string }
  | {
      readonly type: "predictions";
      readonly round: number;
      /** One class name per test digit. */
      readonly verdicts: readonly string[];
      /** On the whole test set. */
      readonly accuracy: number | null;
    }
  | { readonly type: "settings"; readonly settings: DashboardSettings };

export type WireChangeBody =
  | PlainChange
  | { readonly type: "run-start"; readonly run: WireRun }
  | { readonly type: "round"; readonly runId: string; readonly point: RoundPoint }
  | { readonly type: "node"; readonly node: WireNodeUpdate }
  | { readonly type: "test-digits"; readonly digits: readonly WireTestDigit[] }
  | { readonly type: "log"; readonly line: WireLogLine };

/** A change as streamed: `seq` counts up by one per change within an epoch. */
export type WireChange = WireChangeBody & { readonly seq: number };

/** The first event of every stream ("hello"): where the server's sequence stands. */
export interface WireHello {
  readonly epoch: string;
  readonly seq: number;
}

/** An error answer of /api/control. */
export interface WireError {
  readonly error: { readonly code: string; readonly message: string };
}
