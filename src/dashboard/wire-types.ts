/**
 * The JSON the dashboard's server sends to the page: GET /api/state answers a `WireSnapshot`,
 * GET /api/events streams `WireChange`s. Types only and no imports, so the browser code can use
 * them as they are.
 */

export type CaseNumber = 1 | 2 | 3 | 4;

/** Adaptive tau, or tau held at a fixed value. */
export type TauSetting = "adaptive" | number;

/** What a run is, in a few words for the page's header. */
export interface RunSetup {
  /** The model, e.g. "svm" (smooth SVM). */
  readonly model: string;
  /** The task, e.g. "even-odd". */
  readonly task: string;
  readonly case: CaseNumber;
  readonly tauMode: TauSetting;
  /** The time budget of the run, seconds. */
  readonly budgetSeconds: number;
  /** Nodes taking part. */
  readonly nodes: number;
}

/** The values the controls show. */
export interface DashboardSettings {
  readonly case: CaseNumber;
  readonly budgetSeconds: number;
  readonly tauMode: TauSetting;
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
  /** Seconds of budget spent so far, and the budget. */
  readonly spent: number | null;
  readonly budget: number | null;
  readonly wallSeconds: number;
  readonly reported: number;
  readonly failed: number;
  /** A fault of the round ("aggregate-not-finite", "no-reports"), else null. */
  readonly fault: string | null;
}

export interface WireRun {
  readonly id: string;
  readonly setup: RunSetup;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
  /** The latest rounds, oldest first (at most `limits.roundsPerRun`). */
  readonly points: readonly RoundPoint[];
}

export interface WireNode {
  readonly id: string;
  readonly online: boolean;
  readonly dataSize: number | null;
  readonly labelHistogram: readonly number[] | null;
  /** A few of its samples, only when the node shares them. */
  readonly preview: WirePreview | null;
  readonly lastLocalSeconds: number | null;
  readonly delayMs: number;
}

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

export interface WireTest {
  readonly digits: readonly WireTestDigit[];
  readonly verdicts: readonly string[] | null;
  readonly round: number | null;
  readonly accuracy: number | null;
}

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

export interface WireSnapshot {
  /** Changes with `seq` up to this one are in the snapshot. */
  readonly seq: number;
  /** Differs after the server restarts: sequence numbers start again. */
  readonly epoch: string;
  readonly access: ControlAccess;
  readonly limits: WireLimits;
  readonly settings: DashboardSettings;
  readonly run: WireRun | null;
  readonly previousRun: WireRun | null;
  readonly nodes: readonly WireNode[];
  readonly test: WireTest | null;
  readonly log: readonly WireLogLine[];
}

export type WireChangeBody =
  | { readonly type: "run-start"; readonly run: WireRun }
  | { readonly type: "round"; readonly runId: string; readonly point: RoundPoint }
  | {
      readonly type: "run-end";
      readonly runId: string;
      readonly at: number;
      readonly reason: string;
    }
  | { readonly type: "node"; readonly node: WireNodeUpdate }
  | { readonly type: "node-removed"; readonly id: string }
  | { readonly type: "test-digits"; readonly digits: readonly WireTestDigit[] }
  | {
      readonly type: "predictions";
      readonly round: number;
      readonly verdicts: readonly string[];
      readonly accuracy: number | null;
    }
  | { readonly type: "log"; readonly line: WireLogLine }
  | { readonly type: "settings"; readonly settings: DashboardSettings };

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
