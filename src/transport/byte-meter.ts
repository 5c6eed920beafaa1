/** Frames and bytes one way or both, as counted by a ByteMeter. */
export interface ByteCounts {
  /** WebSocket frames written to the socket, and their bytes (headers included). */
  readonly framesSent: number;
  readonly bytesSent: number;
  /** WebSocket frames read from the socket, and their bytes (headers included). */
  readonly framesReceived: number;
  readonly bytesReceived: number;
}

export const NO_BYTES: ByteCounts = {
  framesSent: 0,
  bytesSent: 0,
  framesReceived: 0,
  bytesReceived: 0,
};

/**
 * Counts the frames and bytes of one connection. `totals()` since it opened; `mark()` and
 * `since(mark)` for a part of it (one round: mark when the round starts, read when it ends).
 */
export class ByteMeter {
  private framesSent = 0;
  private bytesSent = 0;
  private framesReceived = 0;
  private bytesReceived = 0;

  countSent(bytes: number): void {
    this.framesSent++;
    this.bytesSent += bytes;
  }

  countReceived(bytes: number): void {
    this.framesReceived++;
    this.bytesReceived += bytes;
  }

  totals(): ByteCounts {
    return {
      framesSent: this.framesSent,
      bytesSent: this.bytesSent,
      framesReceived: this.framesReceived,
      bytesReceived: this.bytesReceived,
    };
  }

  /** A mark to measure from (the totals now). */
  mark(): ByteCounts {
    return this.totals();
  }

  /** What was counted since `mark`. */
  since(mark: ByteCounts): ByteCounts {
    return {
      framesSent: this.framesSent - mark.framesSent,
      bytesSent: this.bytesSent - mark.bytesSent,
      framesReceived: this.framesReceived - mark.framesReceived,
      bytesReceived: this.bytesReceived - mark.bytesReceived,
    };
  }
}
