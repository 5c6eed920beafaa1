/** How much the dashboard keeps: every buffer of the server (and the page) is bounded. */
export interface DashboardLimits {
  /** Round events kept per run (the latest). */
  readonly roundsPerRun: number;
  /** Protocol log lines kept (the latest). */
  readonly logLines: number;
  /** Characters of one log line. */
  readonly logLineChars: number;
  /** Nodes shown; changes about further nodes are ignored. */
  readonly nodes: number;
  /** Preview digits per node. */
  readonly previewDigits: number;
  /** Test digits in the grid. */
  readonly testDigits: number;
  /** Changes waiting for one slow event-stream client before it is told to resync. */
  readonly clientQueue: number;
  /** Event-stream clients at once. */
  readonly clients: number;
}

export const DEFAULT_LIMITS: DashboardLimits = {
  roundsPerRun: 5_000,
  logLines: 500,
  logLineChars: 400,
  nodes: 256,
  previewDigits: 8,
  testDigits: 120,
  clientQueue: 1_000,
  clients: 64,
};

/** Bytes of one 28 x 28 digit. */
export const DIGIT_BYTES = 784;
