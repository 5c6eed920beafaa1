/** How a node ended: the process exit code and the sentence that says why. */
export interface NodeExit {
  /** 0: stopped by the aggregator or the operator; 1: refused or failed. */
  readonly code: number;
  readonly message: string;
}
