import { type ProtocolError, tooManyConnections } from "../protocol/index.js";
import type { FramedConnection } from "../transport/index.js";

/**
 * Counts the open connections of each remote address (registered or not) and refuses one over
 * the limit (`--max-connections-per-address`): a single host cannot hold all the aggregator's
 * sockets. A limit of 0 or undefined: no limit.
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();
  private readonly max: number | undefined;

  constructor(max: number | undefined) {
    this.max = max !== undefined && max > 0 ? max : undefined;
  }

  /**
   * Counts `conn` for `remote` ("ADDRESS:PORT") until it closes; or, over the limit, counts
   * nothing and returns the refusal to send.
   */
  admit(conn: FramedConnection, remote: string): ProtocolError | undefined {
    const address = addressOf(remote);
    const n = this.open.get(address) ?? 0;
    if (this.max !== undefined && n >= this.max) return tooManyConnections(address, n);
    this.open.set(address, n + 1);
    conn.onClose(() => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    });
    return undefined;
  }

  /** Open connections of an address now. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

/** "10.0.0.7:51234" -> "10.0.0.7", "[::1]:5" or "::1:5" -> "::1"; IPv4-mapped IPv6 as IPv4. */
export function addressOf(remote: string): string {
  const bracketed = /^\[(.*)\]:\d+$/.exec(remote);
  const host = bracketed ? bracketed[1] : remote.replace(/:\d+$/, "");
  return host.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
}
